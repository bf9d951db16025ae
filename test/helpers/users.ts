import type { TestApp } from "./app.ts";
import type { TestClient } from "./client.ts";
import { firstLink } from "./smtp.ts";

export const PASSWORD = "correct horse battery staple";

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${++counter}-${Date.now()}@example.com`;

/** Signs up, follows the verification link from the real SMTP peer, and signs in. */
export async function signedInUser(t: TestApp, email = uniqueEmail()): Promise<TestClient> {
  const client = t.client();
  const signUp = await client.post("/api/auth/sign-up/email", {
    email,
    password: PASSWORD,
    name: email.split("@")[0],
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const mail = await t.smtp.lastTo(email);
  const link = new URL(firstLink(mail.text));
  const verified = await client.fetch(`${link.pathname}${link.search}`);
  if (verified.status >= 400) throw new Error(`verification failed: ${verified.status}`);
  const signIn = await client.post("/api/auth/sign-in/email", { email, password: PASSWORD });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  return client;
}

/** A signed-in user who owns a fresh organization (active in their session). */
export async function orgOwner(t: TestApp, name = "Acme") {
  const client = await signedInUser(t);
  const org = await client.mutate<{ id: string }>("orgs.create", { name });
  return { client, orgId: org.id };
}

/** Invites a new user with `role` and has them accept; returns their client. */
export async function addMember(t: TestApp, owner: TestClient, role: string) {
  const email = uniqueEmail(role.toLowerCase());
  await owner.mutate("invitations.create", { email, role });
  const invite = await t.smtp.lastTo(email);
  const token = new URL(firstLink(invite.text)).searchParams.get("token");
  const client = await signedInUser(t, email);
  const joined = await client.mutate<{ memberId: string }>("invitations.accept", { token });
  return { client, memberId: joined.memberId, email };
}
