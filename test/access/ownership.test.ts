import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Member = { id: string; role: string };
const roleOf = async (client: Awaited<ReturnType<typeof orgOwner>>["client"], memberId: string) =>
  (await client.list<Member>("members.list")).find((m) => m.id === memberId)?.role;

describe("organization ownership", () => {
  it("only an OWNER transfers ownership; the caller becomes ADMIN and an OWNER always remains", async () => {
    const { client: owner } = await orgOwner(t, "Transfer Org");
    const admin = await addMember(t, owner, "ADMIN");
    const participant = await addMember(t, owner, "PARTICIPANT");
    const refused = await admin.client.trpcError("mutate", "orgs.transferOwnership", {
      memberId: participant.memberId,
    });
    expect(refused.status).toBe(403);
    const { memberId: ownerMemberId } = await owner.query<{ memberId: string }>("orgs.current");

    await owner.mutate("orgs.transferOwnership", { memberId: admin.memberId });
    expect(await roleOf(owner, admin.memberId)).toBe("OWNER");
    expect(await roleOf(owner, ownerMemberId)).toBe("ADMIN");
    // the former owner is an ADMIN now: transferring again is refused
    expect(
      (
        await owner.trpcError("mutate", "orgs.transferOwnership", {
          memberId: participant.memberId,
        })
      ).status,
    ).toBe(403);
    const audit = await auditEvents(admin.client);
    expect(audit.find((e) => e.action === "org.ownership_transferred")?.metadata).toMatchObject({
      to: { memberId: admin.memberId, before: "ADMIN", after: "OWNER" },
    });
  });

  it("renaming needs org:update and is audited with before and after", async () => {
    const { client: owner } = await orgOwner(t, "Old Name");
    const participant = await addMember(t, owner, "PARTICIPANT");
    expect(
      (await participant.client.trpcError("mutate", "orgs.update", { name: "Hijacked" })).status,
    ).toBe(403);
    await owner.mutate("orgs.update", { name: "New Name" });
    expect((await owner.query<{ name: string }>("orgs.current")).name).toBe("New Name");
    const audit = await auditEvents(owner);
    expect(audit.find((e) => e.action === "org.updated")?.metadata).toEqual({
      before: { name: "Old Name" },
      after: { name: "New Name" },
    });
  });

  it("only an OWNER deletes the organization, with its slug as confirmation; everything goes", async () => {
    const { client: owner, orgId } = await orgOwner(t, "Doomed Org");
    const admin = await addMember(t, owner, "ADMIN");
    await owner.mutate("workflows.create", { name: "doomed workflow" });
    const { slug } = await owner.query<{ slug: string }>("orgs.current");
    expect(
      (await admin.client.trpcError("mutate", "orgs.delete", { confirmSlug: slug })).status,
    ).toBe(403);
    const wrong = await owner.trpcError("mutate", "orgs.delete", { confirmSlug: "not-it" });
    expect(wrong.status).toBe(400);
    expect(wrong.error.message).toContain("confirmSlug");

    await owner.mutate("orgs.delete", { confirmSlug: slug });
    expect((await admin.client.trpcError("query", "orgs.current")).status).toBe(403);
    expect(await owner.list<unknown>("orgs.list")).toEqual([]);
    const db = t.deps.database.db;
    for (const table of ["member", "workflow", "workflow_grant", "audit_event", "invitation"]) {
      const result = await db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} where organization_id = ${orgId}`,
      );
      expect((result as unknown as { rows: { n: number }[] }).rows[0]?.n, table).toBe(0);
    }
  });
});
