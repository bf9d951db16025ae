import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { type AuditRow, auditEvents } from "./helpers/orgs.ts";
import { addMember, signedInUser, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let ownerUserId: string;
let orgA: string;
let admin: Awaited<ReturnType<typeof addMember>>;
let adminUserId: string;
let invitedByAdmin: string;

/** A tRPC mutation sent with a given User-Agent (the audit log records it). */
async function mutateAs<T>(client: TestClient, userAgent: string, path: string, input: unknown) {
  const res = await client.post(`/trpc/${path}`, input, { "user-agent": userAgent });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok) throw new Error(`${path} failed: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result?.data as T;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  ownerUserId = (await owner.query<{ userId: string }>("me")).userId;
  orgA = (await mutateAs<{ id: string }>(owner, "OwnerAgent/1.0", "orgs.create", { name: "A" })).id;
  admin = await addMember(t, owner, "ADMIN");
  adminUserId = (await admin.client.query<{ userId: string }>("me")).userId;
  invitedByAdmin = uniqueEmail("invited-by-admin");
  await mutateAs(admin.client, "AdminAgent/2.0", "invitations.create", {
    email: invitedByAdmin,
    role: "PARTICIPANT",
  });
});
afterAll(() => t.close());

function expectEvents(events: AuditRow[]) {
  expect(events.every((e) => e.organizationId === orgA)).toBe(true);
  expect(events.find((e) => e.action === "org.created")).toMatchObject({
    actorKind: "user",
    actorId: ownerUserId,
    ip: owner.ip,
    userAgent: "OwnerAgent/1.0",
    targetId: orgA,
  });
  expect(
    events.find((e) => e.action === "member.invited" && e.metadata.email === invitedByAdmin),
  ).toMatchObject({
    actorKind: "user",
    actorId: adminUserId,
    ip: admin.client.ip,
    userAgent: "AdminAgent/2.0",
  });
  expect(events.find((e) => e.action === "member.joined")).toMatchObject({
    actorId: adminUserId,
    targetId: admin.memberId,
    ip: admin.client.ip,
  });
}

describe("audit.list", () => {
  it("shows the OWNER the org's events with actor, IP and user agent", async () => {
    expectEvents(await auditEvents(owner));
  });

  it("shows the ADMIN the same events", async () => {
    const events = await auditEvents(admin.client);
    expectEvents(events);
    expect(events).toEqual(await auditEvents(owner));
  });

  it.each(["PARTICIPANT", "REVIEWER"])("refuses a %s (403)", async (role) => {
    const member = await addMember(t, owner, role);
    const err = await member.client.trpcError("query", "audit.list");
    expect(err.status).toBe(403);
    expect(err.error.message).not.toContain("member.");
  });

  it("never shows an OWNER of org B anything of org A", async () => {
    const ownerB = await signedInUser(t);
    const orgB = (await ownerB.mutate<{ id: string }>("orgs.create", { name: "B" })).id;
    const events = await auditEvents(ownerB);
    expect(events.map((e) => e.action)).toEqual(["org.created"]);
    expect(events.every((e) => e.organizationId === orgB)).toBe(true);
    const idsOfA = new Set([orgA, admin.memberId, ownerUserId, adminUserId]);
    expect(events.some((e) => idsOfA.has(e.targetId ?? "") || idsOfA.has(e.actorId ?? ""))).toBe(
      false,
    );
    // … while org A's log does hold events (so the emptiness above is not vacuous).
    expect((await auditEvents(owner)).length).toBeGreaterThanOrEqual(3);
  });
});
