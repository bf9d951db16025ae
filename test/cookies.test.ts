import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { signIn, signUp } from "./helpers/identity.ts";
import { uniqueEmail } from "./helpers/users.ts";

/** Signs up + verifies + signs in, returning the raw Set-Cookie header of the session. */
async function sessionSetCookie(t: TestApp): Promise<string> {
  const client = t.client();
  const email = uniqueEmail("cookie");
  const link = await signUp(t, client, email);
  expect((await client.fetch(link)).status).toBe(302);
  const res = await signIn(client, email);
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!cookie) throw new Error("sign-in set no session cookie");
  // The cookie also works for the next request on the same app.
  expect((await client.query<{ email: string }>("me")).email).toBe(email);
  return cookie;
}

const attributes = (cookie: string) =>
  cookie
    .split(";")
    .slice(1)
    .map((a) => a.trim().toLowerCase());

describe("session cookie over http", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ baseUrl: "http://fluxo.test" });
  });
  afterAll(() => t?.close());

  it("is HttpOnly, SameSite=Lax, Path=/ and not Secure", async () => {
    const cookie = await sessionSetCookie(t);
    expect(cookie.startsWith("better-auth.session_token=")).toBe(true);
    const attrs = attributes(cookie);
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs).not.toContain("secure");
  });
});

describe("session cookie over https", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ baseUrl: "https://fluxo.test" });
  });
  afterAll(() => t?.close());

  it("is Secure with the __Secure- prefix, HttpOnly, SameSite=Lax, Path=/", async () => {
    const cookie = await sessionSetCookie(t);
    expect(cookie.startsWith("__Secure-better-auth.session_token=")).toBe(true);
    const attrs = attributes(cookie);
    expect(attrs).toContain("secure");
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
  });

  it("ignores a session cookie without the prefix", async () => {
    const client = t.client();
    const email = uniqueEmail("prefix");
    await client.fetch(await signUp(t, client, email));
    expect((await signIn(client, email)).status).toBe(200);
    const value = client.cookies.get("__Secure-better-auth.session_token") as string;
    const downgraded = t.client();
    downgraded.cookies.set("better-auth.session_token", value);
    expect((await downgraded.trpcError("query", "me")).status).toBe(401);
  });
});
