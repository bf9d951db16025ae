import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verification } from "../src/db/schema/index.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { findUser, securityEventsOf, signIn } from "./helpers/identity.ts";
import { firstLink } from "./helpers/smtp.ts";
import { PASSWORD, signedInUser, uniqueEmail } from "./helpers/users.ts";

const NEW_PASSWORD = "a brand new passphrase 42";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Asks for a reset and returns the token from the link that arrived at the SMTP peer. */
async function requestReset(email: string): Promise<string> {
  const sentBefore = t.smtp.messages.length;
  const res = await t.client().post("/api/auth/request-password-reset", { email });
  expect(res.status).toBe(200);
  const mail = await t.smtp.lastTo(email);
  expect(t.smtp.messages.length).toBe(sentBefore + 1);
  expect(mail.subject).toMatch(/reset/i);
  const link = new URL(firstLink(mail.text));
  expect(link.origin).toBe(t.deps.config.baseUrl);
  // The link opens the web app's reset page, which posts the token with the new password.
  expect(link.pathname).toBe("/reset-password");
  const token = link.searchParams.get("token") ?? "";
  expect(token.length).toBeGreaterThanOrEqual(20);
  return token;
}

const resetWith = (token: string, newPassword = NEW_PASSWORD) =>
  t.client().post("/api/auth/reset-password", { token, newPassword });

describe("password reset", () => {
  it("resets through the mailed link, revokes old sessions, and the token is single use", async () => {
    const email = uniqueEmail("reset");
    const before = await signedInUser(t, email);
    expect((await before.query<{ email: string }>("me")).email).toBe(email);

    const token = await requestReset(email);
    const reset = await resetWith(token);
    expect(reset.status).toBe(200);

    // A client signed in before the reset is signed out everywhere.
    expect((await before.trpcError("query", "me")).status).toBe(401);

    expect((await signIn(t.client(), email, PASSWORD)).status).toBe(401);
    const after = t.client();
    expect((await signIn(after, email, NEW_PASSWORD)).status).toBe(200);
    expect((await after.query<{ email: string }>("me")).email).toBe(email);

    const reused = await resetWith(token, "yet another passphrase 7");
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    expect((await signIn(t.client(), email, NEW_PASSWORD)).status).toBe(200);

    const { id } = await findUser(t, email);
    const events = await securityEventsOf(t, id);
    expect(events.map((e) => e.action)).toContain("user.password_reset");
  });

  it("stores the reset token only as a hash", async () => {
    const email = uniqueEmail("hashed");
    await signedInUser(t, email);
    const { id } = await findUser(t, email);
    const token = await requestReset(email);
    const rows = await t.deps.database.db
      .select()
      .from(verification)
      .where(eq(verification.value, id));
    expect(rows).toHaveLength(1);
    // A copy of the database must not be enough to reset someone's password.
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await resetWith(token)).status).toBe(200);
  });

  it("refuses an unknown token", async () => {
    const res = await resetWith("a".repeat(24));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("INVALID_TOKEN");
  });

  it("refuses an expired token and keeps the old password", async () => {
    const email = uniqueEmail("expired");
    await signedInUser(t, email);
    const { id } = await findUser(t, email);
    const token = await requestReset(email);
    // Age the stored reset request past its one-hour lifetime.
    await t.deps.database.db
      .update(verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verification.value, id));

    const res = await resetWith(token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    expect((await signIn(t.client(), email, PASSWORD)).status).toBe(200);
    expect((await signIn(t.client(), email, NEW_PASSWORD)).status).toBe(401);
  });

  it("answers the same for an unknown address and sends no mail", async () => {
    const sentBefore = t.smtp.messages.length;
    const res = await t
      .client()
      .post("/api/auth/request-password-reset", { email: uniqueEmail("nobody") });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.smtp.messages.length).toBe(sentBefore);
  });
});
