import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_FAILURES_PER_ACCOUNT } from "../src/auth/sign-in-throttle.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { firstLink } from "./helpers/smtp.ts";
import { PASSWORD, signedInUser, uniqueEmail } from "./helpers/users.ts";

/** Sign-in limit per client address and minute (src/auth/auth.ts). */
const PER_ADDRESS = 5;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const signIn = (client: TestClient, email: string, password: string) =>
  client.post("/api/auth/sign-in/email", { email, password });

/** Wrong passwords for `email`, spread over fresh addresses (a few each, below their limit). */
async function sprayWrongPasswords(email: string, count: number) {
  const statuses: number[] = [];
  let client = t.client();
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) client = t.client();
    statuses.push((await signIn(client, email, `wrong password ${i}`)).status);
  }
  return statuses;
}

/** The reset mail to `email` (the verification mail came earlier, to the same address). */
async function resetMailTo(email: string) {
  for (let i = 0; i < 250; i++) {
    const mail = t.smtp.messages.find((m) => m.to.includes(email) && /reset/i.test(m.subject));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no reset mail for ${email}`);
}

describe("per-account sign-in limit", () => {
  it("40 wrong passwords from 10 addresses: the account refuses after its limit, with Retry-After", async () => {
    const email = uniqueEmail("sprayed");
    await signedInUser(t, email);
    const statuses = await sprayWrongPasswords(email, 40);
    expect(statuses.slice(0, SIGN_IN_FAILURES_PER_ACCOUNT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(SIGN_IN_FAILURES_PER_ACCOUNT).every((s) => s === 429)).toBe(true);

    // The right password from a fresh address is refused too: the answer tells nothing.
    const refused = await signIn(t.client(), email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(((await refused.json()) as { message: string }).message).toMatch(/failed sign-ins/);
  });

  it("counts unknown addresses the same way (no hint that an account exists)", async () => {
    const statuses = await sprayWrongPasswords(
      uniqueEmail("nobody"),
      SIGN_IN_FAILURES_PER_ACCOUNT + 1,
    );
    expect(statuses.at(-1)).toBe(429);
  });

  it("counts the address however it is capitalised", async () => {
    const email = uniqueEmail("caps");
    await sprayWrongPasswords(email.toUpperCase(), SIGN_IN_FAILURES_PER_ACCOUNT);
    expect((await signIn(t.client(), email, PASSWORD)).status).toBe(429);
  });

  it("does not touch other accounts", async () => {
    const email = uniqueEmail("attacked");
    await sprayWrongPasswords(email, SIGN_IN_FAILURES_PER_ACCOUNT + 2);
    const other = uniqueEmail("bystander");
    await signedInUser(t, other);
    expect((await signIn(t.client(), other, PASSWORD)).status).toBe(200);
  });

  it("a password reset (proof of the mailbox) lifts the refusal for the owner", async () => {
    const email = uniqueEmail("locked-out");
    await signedInUser(t, email);
    await sprayWrongPasswords(email, SIGN_IN_FAILURES_PER_ACCOUNT);
    expect((await signIn(t.client(), email, PASSWORD)).status).toBe(429);

    await t.client().post("/api/auth/request-password-reset", { email });
    const link = new URL(firstLink((await resetMailTo(email)).text));
    const token = link.searchParams.get("token") ?? link.pathname.split("/").pop();
    const newPassword = "a brand new passphrase 42";
    const reset = await t.client().post("/api/auth/reset-password", { token, newPassword });
    expect(reset.status).toBe(200);
    expect((await signIn(t.client(), email, newPassword)).status).toBe(200);
  });
});

describe("per-address sign-in limit", () => {
  it("addresses of one IPv6 /64 share one budget; the next /64 has its own", async () => {
    const email = uniqueEmail("v6");
    const statuses: number[] = [];
    for (let i = 1; i <= PER_ADDRESS + 1; i++) {
      statuses.push((await signIn(t.client(`2001:db8:42:1::${i}`), email, "wrong")).status);
    }
    expect(statuses.slice(0, PER_ADDRESS).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(t.client("2001:db8:42:2::1"), email, "wrong")).status).toBe(401);
  });
});
