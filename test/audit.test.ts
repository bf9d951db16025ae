import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { type AuditPage, type AuditRow, auditEvents } from "./helpers/orgs.ts";
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

describe("audit.list filters and pages", () => {
  const page = (input: Record<string, unknown>) =>
    owner.query<AuditPage>("audit.list", { limit: 200, ...input });

  it("names a user actor by e-mail", async () => {
    const events = await auditEvents(owner);
    const me = await owner.query<{ email: string }>("me");
    expect(events.find((e) => e.action === "org.created")?.actorEmail).toBe(me.email);
  });

  it("filters by exact action, by action family and by actor", async () => {
    const invited = await page({ action: "member.invited" });
    expect(invited.items.length).toBeGreaterThan(0);
    expect(invited.items.every((e) => e.action === "member.invited")).toBe(true);
    const family = await page({ action: "member." });
    expect(new Set(family.items.map((e) => e.action)).size).toBeGreaterThan(1);
    expect(family.items.length).toBeGreaterThan(0);
    expect(family.items.every((e) => e.action.startsWith("member."))).toBe(true);
    const byAdmin = await page({ actorId: adminUserId });
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(byAdmin.items.every((e) => e.actorId === adminUserId)).toBe(true);
  });

  it("filters by a date range: from inclusive, to exclusive", async () => {
    const all = await auditEvents(owner);
    const newest = all[0]?.createdAt as string;
    expect((await page({ from: newest })).items.map((e) => e.createdAt)).toContain(newest);
    expect((await page({ to: newest })).items.map((e) => e.createdAt)).not.toContain(newest);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await page({ from: future })).items).toEqual([]);
  });

  it("pages through every event once, even events of the same millisecond", async () => {
    const all = await auditEvents(owner);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 50; n++) {
      const next = await page({ limit: 1, cursor });
      seen.push(...next.items.map((e) => e.id));
      if (!next.nextCursor) break;
      cursor = next.nextCursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it("refuses a bad filter or cursor naming the field (400)", async () => {
    for (const [input, field] of [
      [{ cursor: "forged" }, "cursor"],
      [{ action: "x'; drop" }, "action"],
      [{ from: "yesterday" }, "from"],
    ] as const) {
      const err = await owner.trpcError("query", "audit.list", input);
      expect(err.status).toBe(400);
      expect(JSON.stringify(err.error)).toContain(field);
    }
  });
});
