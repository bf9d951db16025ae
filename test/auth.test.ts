import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { firstLink } from "./helpers/smtp.ts";
import { PASSWORD, signedInUser, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("sign-up, verification, sign-in, sign-out", () => {
  it("a verified user signs in and out", async () => {
    const client = await signedInUser(t);
    const me = await client.query<{ emailVerified: boolean }>("me");
    expect(me.emailVerified).toBe(true);
    const out = await client.post("/api/auth/sign-out", {});
    expect(out.status).toBe(200);
    const err = await client.trpcError("query", "me");
    expect(err.status).toBe(401);
  });
});
