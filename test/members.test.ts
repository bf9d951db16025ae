import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import type { TestClient } from "./helpers/client.ts";
import { auditEvents, dbRows, members } from "./helpers/orgs.ts";
import { addMember, orgOwner, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const userIdOf = async (client: TestClient) =>
  (await client.query<{ userId: string }>("me")).userId;

/** Points every session of the user at the organization again, as a stale session would. */
async function pointSessionsAt(t: TestApp, userId: string, orgId: string) {
  await t.deps.database.db.execute(
    sql`update session set active_organization_id = ${orgId} where user_id = ${userId}`,
  );
}

describe("who may see and invite members", () => {
  it("a REVIEWER cannot list members (403)", async () => {
    const { client: owner } = await orgOwner(t);
    const reviewer = await addMember(t, owner, "REVIEWER");
    const err = await reviewer.client.trpcError("query", "members.list");
    expect(err.status).toBe(403);
    expect(err.error.message).not.toContain("@");
  });

  it("a PARTICIPANT can list members but cannot invite (403)", async () => {
    const { client: owner } = await orgOwner(t);
    const participant = await addMember(t, owner, "PARTICIPANT");
    const list = await members(participant.client);
    expect(list.map((m) => m.role).sort()).toEqual(["OWNER", "PARTICIPANT"]);

    const email = uniqueEmail("uninvited");
    const err = await participant.client.trpcError("mutate", "invitations.create", {
      email,
      role: "PARTICIPANT",
    });
    expect(err.status).toBe(403);
    expect(await owner.list("invitations.list")).toEqual([]);
    expect(t.smtp.messages.some((m) => m.to.includes(email))).toBe(false);
  });
});

describe("removing a member", () => {
  it("an ADMIN removes a PARTICIPANT, who is refused on their very next request", async () => {
    const { client: owner, orgId } = await orgOwner(t);
    const admin = await addMember(t, owner, "ADMIN");
    const participant = await addMember(t, owner, "PARTICIPANT");
    expect((await participant.client.query<{ id: string }>("orgs.current")).id).toBe(orgId);

    await admin.client.mutate("members.remove", { memberId: participant.memberId });

    expect((await members(owner)).some((m) => m.id === participant.memberId)).toBe(false);
    for (const path of ["orgs.current", "members.list"]) {
      const err = await participant.client.trpcError("query", path);
      expect(err.status).toBe(403);
    }
    expect(await participant.client.list("orgs.list")).toEqual([]);

    const removed = (await auditEvents(owner)).find((e) => e.action === "member.removed");
    expect(removed).toMatchObject({
      actorId: await userIdOf(admin.client),
      targetType: "member",
      targetId: participant.memberId,
      metadata: { userId: await userIdOf(participant.client), role: "PARTICIPANT" },
    });
  });

  it("access is decided by the membership, not by the session's active organization", async () => {
    const { client: owner, orgId } = await orgOwner(t);
    const participant = await addMember(t, owner, "PARTICIPANT");
    await owner.mutate("members.remove", { memberId: participant.memberId });

    // Even if the session still names the organization, the membership is re-read and missing.
    const userId = await userIdOf(participant.client);
    await pointSessionsAt(t, userId, orgId);
    const me = await participant.client.query<{ activeOrganizationId: string }>("me");
    expect(me.activeOrganizationId).toBe(orgId);
    for (const path of ["orgs.current", "members.list"]) {
      const err = await participant.client.trpcError("query", path);
      expect(err.status).toBe(403);
      expect(err.error.message).toMatch(/no longer a member/);
    }
    const leave = await participant.client.trpcError("mutate", "orgs.leave");
    expect(leave.status).toBe(403);
  });

  it("a demoted member's next request carries the new role", async () => {
    const { client: owner } = await orgOwner(t);
    const admin = await addMember(t, owner, "ADMIN");
    expect(await admin.client.list("invitations.list")).toEqual([]);
    await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "REVIEWER" });
    const err = await admin.client.trpcError("query", "invitations.list");
    expect(err.status).toBe(403);
  });
});

describe("leaving an organization", () => {
  it("a member leaves, loses access, and member.left is recorded", async () => {
    const { client: owner, orgId } = await orgOwner(t);
    const participant = await addMember(t, owner, "PARTICIPANT");
    const userId = await userIdOf(participant.client);

    expect(await participant.client.mutate("orgs.leave")).toEqual({ left: orgId });

    expect(await participant.client.list("orgs.list")).toEqual([]);
    for (const path of ["orgs.current", "members.list"]) {
      const err = await participant.client.trpcError("query", path);
      expect(err.status).toBe(403);
    }
    expect((await members(owner)).some((m) => m.userId === userId)).toBe(false);
    const rows = await dbRows(t, sql`select id from member where user_id = ${userId}`);
    expect(rows).toEqual([]);

    const left = (await auditEvents(owner)).find((e) => e.action === "member.left");
    expect(left).toMatchObject({
      actorId: userId,
      targetType: "member",
      targetId: participant.memberId,
      metadata: { userId, role: "PARTICIPANT" },
    });
  });
});
