import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { findUser, securityEventsOf, sessionCookie, signIn } from "./helpers/identity.ts";
import { signedInUser, uniqueEmail } from "./helpers/users.ts";

interface ListedSession {
  id: string;
  token: string;
  userId: string;
  ipAddress: string | null;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function listSessions(client: TestClient): Promise<ListedSession[]> {
  const res = await client.fetch("/api/auth/list-sessions");
  expect(res.status).toBe(200);
  return (await res.json()) as ListedSession[];
}

/** The token of the session a client holds (its cookie value is `token.signature`). */
const tokenOf = (client: TestClient) =>
  decodeURIComponent(sessionCookie(client) ?? "").split(".")[0];

/** One user signed in on `count` clients, each with its own address. */
async function userOnClients(count: number) {
  const email = uniqueEmail("multi");
  const clients = [await signedInUser(t, email)];
  while (clients.length < count) {
    const c = t.client();
    expect((await signIn(c, email)).status).toBe(200);
    clients.push(c);
  }
  return { email, clients };
}

describe("sessions", () => {
  it("lists the user's own sessions, and revoking one signs that client out", async () => {
    const { clients } = await userOnClients(2);
    const [laptop, phone] = clients as [TestClient, TestClient];
    const stranger = await signedInUser(t);

    const listed = await listSessions(laptop);
    expect(listed.map((s) => s.token).sort()).toEqual([tokenOf(laptop), tokenOf(phone)].sort());
    expect(listed.map((s) => s.ipAddress).sort()).toEqual([laptop.ip, phone.ip].sort());
    expect(listed.map((s) => s.token)).not.toContain(tokenOf(stranger));

    const revoked = await laptop.post("/api/auth/revoke-session", { token: tokenOf(phone) });
    expect(revoked.status).toBe(200);
    expect((await phone.trpcError("query", "me")).status).toBe(401);
    expect((await laptop.query<{ userId: string }>("me")).userId).toBeTruthy();
    expect((await listSessions(laptop)).map((s) => s.token)).toEqual([tokenOf(laptop)]);
  });

  it("cannot revoke another user's session", async () => {
    const attacker = await signedInUser(t);
    const victim = await signedInUser(t);
    await attacker.post("/api/auth/revoke-session", { token: tokenOf(victim) });
    expect((await victim.query<{ userId: string }>("me")).userId).toBeTruthy();
  });

  it("revoke-other-sessions keeps only the current one", async () => {
    const { clients } = await userOnClients(3);
    const [current, ...others] = clients as [TestClient, ...TestClient[]];
    const res = await current.post("/api/auth/revoke-other-sessions", {});
    expect(res.status).toBe(200);
    for (const other of others) {
      expect((await other.trpcError("query", "me")).status).toBe(401);
    }
    expect((await current.query<{ userId: string }>("me")).userId).toBeTruthy();
    expect((await listSessions(current)).map((s) => s.token)).toEqual([tokenOf(current)]);
  });

  it("records each sign-in as a security event with IP and user agent", async () => {
    const { email } = await userOnClients(1);
    const { id } = await findUser(t, email);
    const client = t.client("10.77.0.9");
    const agent = "FluxoTest/1.0 (sessions)";
    const res = await client.post(
      "/api/auth/sign-in/email",
      { email, password: "correct horse battery staple" },
      { "user-agent": agent },
    );
    expect(res.status).toBe(200);
    const signIns = (await securityEventsOf(t, id)).filter((e) => e.action === "user.signed_in");
    expect(signIns).toHaveLength(2);
    expect(signIns).toContainEqual(
      expect.objectContaining({ action: "user.signed_in", ip: "10.77.0.9", userAgent: agent }),
    );
  });
});
