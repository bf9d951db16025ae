import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import {
  craftVerificationToken,
  findUser,
  sessionCookie,
  sessionsOf,
  signIn,
  signUp,
} from "./helpers/identity.ts";
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

  it("sign-out ends the session on the server, not only in the browser", async () => {
    const client = await signedInUser(t);
    const token = sessionCookie(client);
    expect(token).toBeTruthy();
    expect((await client.post("/api/auth/sign-out", {})).status).toBe(200);
    // Someone who copied the cookie before sign-out cannot use it afterwards.
    const replay = t.client();
    replay.cookies.set("better-auth.session_token", token as string);
    expect((await replay.trpcError("query", "me")).status).toBe(401);
  });

  it("refuses sign-in until the e-mail is verified, then the link verifies it", async () => {
    const client = t.client();
    const email = uniqueEmail("unverified");
    const link = await signUp(t, client, email);
    const { id } = await findUser(t, email);
    expect(client.cookies.size).toBe(0);

    const early = await signIn(client, email);
    expect(early.status).toBe(403);
    expect(((await early.json()) as { code: string }).code).toBe("EMAIL_NOT_VERIFIED");
    expect(sessionCookie(client)).toBeUndefined();
    expect(await sessionsOf(t, id)).toHaveLength(0);

    const verified = await client.fetch(link);
    expect(verified.status).toBe(302);
    expect(verified.headers.get("location")).toBe("/email-verified");
    expect((await findUser(t, email)).emailVerified).toBe(true);

    expect((await signIn(client, email)).status).toBe(200);
    const me = await client.query<{ email: string }>("me");
    expect(me.email).toBe(email);
  });

  it("reusing the verification link changes nothing: no session, no cookie", async () => {
    const client = t.client();
    const email = uniqueEmail("reuse");
    const link = await signUp(t, client, email);
    const { id } = await findUser(t, email);
    expect((await client.fetch(link)).status).toBe(302);

    const again = await client.fetch(link);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/email-verified");
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(t, id)).toHaveLength(0);
    expect((await client.trpcError("query", "me")).status).toBe(401);
  });

  it("a tampered verification token is refused", async () => {
    const attacker = t.client();
    const victimEmail = uniqueEmail("victim");
    await signUp(t, t.client(), victimEmail);
    const ownLink = new URL(await signUp(t, attacker, uniqueEmail("attacker")), "http://x");
    const [header, , signature] = (ownLink.searchParams.get("token") ?? "").split(".");
    // Swap the payload for the victim's, keeping the attacker's valid signature.
    const forgedPayload = Buffer.from(JSON.stringify({ email: victimEmail })).toString("base64url");
    const forged = `${header}.${forgedPayload}.${signature}`;

    const res = await attacker.fetch(`/api/auth/verify-email?token=${forged}&callbackURL=%2F`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/?error=INVALID_TOKEN");
    expect((await findUser(t, victimEmail)).emailVerified).toBe(false);

    const garbage = await attacker.fetch("/api/auth/verify-email?token=not-a-token");
    expect(garbage.status).toBe(401);
    expect((await findUser(t, victimEmail)).emailVerified).toBe(false);
  });

  it("an expired verification token is refused", async () => {
    const client = t.client();
    const email = uniqueEmail("late");
    await signUp(t, client, email);
    const { id } = await findUser(t, email);
    const secret = t.deps.config.authSecret;

    const expired = craftVerificationToken(secret, { email, userId: id }, -60);
    const res = await client.fetch(`/api/auth/verify-email?token=${expired}&callbackURL=%2F`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/?error=TOKEN_EXPIRED");
    expect((await findUser(t, email)).emailVerified).toBe(false);
    expect((await signIn(client, email)).status).toBe(403);

    // Control: the same token, still valid, is accepted, so the refusal above was the expiry.
    const fresh = craftVerificationToken(secret, { email, userId: id }, 60);
    const ok = await client.fetch(`/api/auth/verify-email?token=${fresh}&callbackURL=%2F`);
    expect(ok.headers.get("location")).toBe("/");
    expect((await findUser(t, email)).emailVerified).toBe(true);
  });

  it("a wrong password fails with 401 and creates no session", async () => {
    const owner = await signedInUser(t);
    const { email } = await owner.query<{ email: string }>("me");
    const { id } = await findUser(t, email);
    const before = (await sessionsOf(t, id)).length;

    const client = t.client();
    const res = await signIn(client, email, `${PASSWORD}!`);
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(t, id)).toHaveLength(before);
    expect((await client.trpcError("query", "me")).status).toBe(401);
  });

  it("a display name over 100 characters is refused with 400 naming it, at sign-up and when changed", async () => {
    const email = uniqueEmail();
    const refused = await t.client().post("/api/auth/sign-up/email", {
      email,
      password: PASSWORD,
      name: "n".repeat(101),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toBe(
      "name: at most 100 characters",
    );
    await expect(findUser(t, email)).rejects.toThrow("no user");

    const client = await signedInUser(t);
    const { email: own } = await client.query<{ email: string }>("me");
    const tooLong = await client.post("/api/auth/update-user", { name: "n".repeat(101) });
    expect(tooLong.status).toBe(400);
    // spaces count: they would be stored as they are
    const padded = await client.post("/api/auth/update-user", { name: `n${" ".repeat(5000)}` });
    expect(padded.status).toBe(400);
    expect((await client.post("/api/auth/update-user", { name: "n".repeat(100) })).status).toBe(
      200,
    );
    expect((await findUser(t, own)).name).toBe("n".repeat(100));
  });
});
