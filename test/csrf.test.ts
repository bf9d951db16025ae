import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { signedInUser } from "./helpers/users.ts";

const EVIL = "https://evil.example";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const myOrgs = (client: TestClient) => client.list<{ id: string }>("orgs.list");

describe("cross-origin state changes are refused", () => {
  it("Better Auth: sign-out from a foreign Origin keeps the session", async () => {
    const victim = await signedInUser(t);
    const res = await victim.post("/api/auth/sign-out", {}, { origin: EVIL });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await victim.query<{ userId: string }>("me")).userId).toBeTruthy();
  });

  it("Better Auth: revoke-other-sessions from a foreign Origin revokes nothing", async () => {
    const victim = await signedInUser(t);
    const { email } = await victim.query<{ email: string }>("me");
    const other = t.client();
    await other.post("/api/auth/sign-in/email", {
      email,
      password: "correct horse battery staple",
    });
    expect((await other.query<{ userId: string }>("me")).userId).toBeTruthy();

    const res = await victim.post("/api/auth/revoke-other-sessions", {}, { origin: EVIL });
    expect(res.status).toBe(403);
    expect((await other.query<{ userId: string }>("me")).userId).toBeTruthy();
  });

  it("Better Auth: a cookie-bearing POST without Origin is refused", async () => {
    const victim = await signedInUser(t);
    victim.origin = null;
    const res = await victim.post("/api/auth/sign-out", {});
    expect(res.status).toBe(403);
    victim.origin = t.deps.config.baseUrl;
    expect((await victim.query<{ userId: string }>("me")).userId).toBeTruthy();
  });

  it("tRPC: a mutation from a foreign Origin is refused and creates nothing", async () => {
    const victim = await signedInUser(t);
    const res = await victim.post("/trpc/orgs.create", { name: "Evil Corp" }, { origin: EVIL });
    expect(res.status).toBe(403);
    expect(await myOrgs(victim)).toEqual([]);
  });

  it("tRPC: a mutation with neither Origin nor Sec-Fetch-Site is refused", async () => {
    const victim = await signedInUser(t);
    victim.origin = null;
    const res = await victim.post("/trpc/orgs.create", { name: "Evil Corp" });
    expect(res.status).toBe(403);
    const crossSite = await victim.post(
      "/trpc/orgs.create",
      { name: "Evil Corp" },
      { "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    victim.origin = t.deps.config.baseUrl;
    expect(await myOrgs(victim)).toEqual([]);
  });

  it("tRPC: the same mutation from our own origin works (control)", async () => {
    const owner = await signedInUser(t);
    expect((await owner.post("/trpc/orgs.create", { name: "Legit" })).status).toBe(200);
    // A same-origin browser request without Origin is marked by Fetch Metadata instead.
    owner.origin = null;
    const res = await owner.post(
      "/trpc/orgs.create",
      { name: "Legit Two" },
      { "sec-fetch-site": "same-origin" },
    );
    expect(res.status).toBe(200);
    expect(await myOrgs(owner)).toHaveLength(2);
  });
});
