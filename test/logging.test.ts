import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { sessionCookie, signIn, signUp } from "./helpers/identity.ts";
import { firstLink } from "./helpers/smtp.ts";
import { uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const distinctive = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

describe("secrets never reach the log", () => {
  it("passwords, tokens, cookies, links and authorization headers are absent", async () => {
    const secrets: Record<string, string> = {};
    const password = distinctive("pw-sign-up");
    const newPassword = distinctive("pw-after-reset");
    const bearer = distinctive("bearer");
    secrets.password = password;
    secrets.newPassword = newPassword;
    secrets.bearer = bearer;
    const email = uniqueEmail("logged");
    const client = t.client();
    const headers = { authorization: `Bearer ${bearer}` };

    // Sign-up and verification through the mailed link.
    const verifyLink = await signUp(t, client, email, password);
    secrets.verifyToken = new URL(verifyLink, "http://x").searchParams.get("token") ?? "";
    await client.fetch(verifyLink, { headers });

    // Sign-in, including a failed attempt that echoes nothing back.
    await signIn(t.client(), email, `${password}-wrong`);
    const signedIn = await client.post("/api/auth/sign-in/email", { email, password }, headers);
    expect(signedIn.status).toBe(200);
    secrets.cookie = sessionCookie(client) ?? "";
    secrets.sessionToken = decodeURIComponent(secrets.cookie).split(".")[0] ?? "";
    await client.query("me");
    await client.fetch("/trpc/me", { headers });

    // Password reset: request, follow the mailed link like a browser, then reset.
    await client.post("/api/auth/request-password-reset", { email }, headers);
    const resetLink = new URL(firstLink((await t.smtp.lastTo(email)).text));
    secrets.resetToken = resetLink.searchParams.get("token") ?? "";
    const landing = await t.client().fetch(`${resetLink.pathname}${resetLink.search}`);
    expect(landing.status).toBe(200);
    const reset = await client.post(
      "/api/auth/reset-password",
      { token: secrets.resetToken, newPassword },
      headers,
    );
    expect(reset.status).toBe(200);

    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, `${name} was captured`).toBeGreaterThanOrEqual(16);
    }
    // The log did record these requests (so an empty log cannot pass this test).
    const log = t.logLines.join("");
    expect(t.logLines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThan(6);
    // the mailed link opens the web app's page; its token is in the query, which is never logged
    expect(log).toContain('"path":"/reset-password"');
    expect(log).toContain("mail sent");

    for (const [name, value] of Object.entries(secrets)) {
      expect(log.includes(value), `${name} leaked into the log`).toBe(false);
    }
    expect(log).not.toContain(verifyLink);
    expect(log).not.toContain(resetLink.href);
  });
});
