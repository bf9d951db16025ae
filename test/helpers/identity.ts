import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { securityEvent, session, user } from "../../src/db/schema/index.ts";
import type { TestApp } from "./app.ts";
import type { TestClient } from "./client.ts";
import { firstLink } from "./smtp.ts";
import { PASSWORD } from "./users.ts";

/** Signs up without verifying; returns the verification link (path + query) from the mail. */
export async function signUp(t: TestApp, client: TestClient, email: string, password = PASSWORD) {
  const res = await client.post("/api/auth/sign-up/email", { email, password, name: "Tester" });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const link = new URL(firstLink((await t.smtp.lastTo(email)).text));
  return `${link.pathname}${link.search}`;
}

export const signIn = (client: TestClient, email: string, password = PASSWORD) =>
  client.post("/api/auth/sign-in/email", { email, password });

export async function findUser(t: TestApp, email: string) {
  const [found] = await t.deps.database.db.select().from(user).where(eq(user.email, email));
  if (!found) throw new Error(`no user ${email}`);
  return found;
}

export const sessionsOf = (t: TestApp, userId: string) =>
  t.deps.database.db.select().from(session).where(eq(session.userId, userId));

export const securityEventsOf = (t: TestApp, userId: string) =>
  t.deps.database.db.select().from(securityEvent).where(eq(securityEvent.userId, userId));

/** Session cookies the client holds (name → value), whatever prefix the app uses. */
export function sessionCookie(client: TestClient): string | undefined {
  for (const [name, value] of client.cookies) {
    if (name.endsWith("better-auth.session_token")) return value;
  }
  return undefined;
}

/**
 * An e-mail verification token signed like Better Auth's own (HS256 JWT with the app secret),
 * so tests can make one that is expired or bound to someone else.
 */
export function craftVerificationToken(
  secret: string,
  payload: { email: string; userId?: string },
  expiresInSeconds: number,
): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${b64({ alg: "HS256" })}.${b64({ ...payload, iat: now - 3600, exp: now + expiresInSeconds })}`;
  const signature = createHmac("sha256", secret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}
