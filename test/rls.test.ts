import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, member } from "../src/db/schema/index.ts";
import { withTenant } from "../src/db/tenant.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { addMember, orgOwner } from "./helpers/users.ts";

type Row = Record<string, unknown>;
const rows = (result: unknown) => (result as { rows: Row[] }).rows;

let t: TestApp;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  t = await startTestApp();
  const a = await orgOwner(t, "Org A");
  const b = await orgOwner(t, "Org B");
  orgA = a.orgId;
  orgB = b.orgId;
  await addMember(t, a.client, "PARTICIPANT");
  await addMember(t, b.client, "ADMIN");
});
afterAll(() => t.close());

describe("row-level security: the second wall", () => {
  it("every table with organization_id has RLS, a tenant policy, a foreign key and an index", async () => {
    const db = t.deps.database.db;
    const tables = rows(
      await db.execute(sql`
        select c.table_name, c.is_nullable, cls.relrowsecurity,
          exists (select 1 from pg_policies p where p.tablename = c.table_name
                  and p.qual like '%app.org_id%' and p.with_check like '%app.org_id%') as has_policy,
          exists (select 1 from pg_constraint k where k.conrelid = cls.oid and k.contype = 'f'
                  and k.confrelid = 'organization'::regclass
                  and k.conkey[1] = (select attnum from pg_attribute
                                     where attrelid = cls.oid and attname = 'organization_id')) as has_fk,
          exists (select 1 from pg_index i where i.indrelid = cls.oid
                  and i.indkey[0] = (select attnum from pg_attribute
                                     where attrelid = cls.oid and attname = 'organization_id')) as has_index
        from information_schema.columns c
        join pg_class cls on cls.relname = c.table_name and cls.relkind = 'r'
        where c.table_schema = 'public' and c.column_name = 'organization_id'`),
    );
    expect(tables.map((r) => r.table_name).sort()).toEqual(
      expect.arrayContaining(["audit_event", "invitation", "member"]),
    );
    for (const table of tables) {
      expect(table, String(table.table_name)).toMatchObject({
        is_nullable: "NO",
        relrowsecurity: true,
        has_policy: true,
        has_fk: true,
        has_index: true,
      });
    }
  });

  it("tenant transactions run as a role that is neither superuser nor exempt from RLS", async () => {
    const [role] = await withTenant(t.deps.database.db, orgA, async (tx) =>
      rows(
        await tx.execute(
          sql`select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
        ),
      ),
    );
    expect(role).toEqual({ name: "fluxo_app", rolsuper: false, rolbypassrls: false });
  });

  it("a deliberately unfiltered query for org A sees nothing of org B", async () => {
    const db = t.deps.database.db;
    const everything = await db.select().from(auditEvent);
    expect(new Set(everything.map((e) => e.organizationId))).toEqual(new Set([orgA, orgB]));

    const seen = await withTenant(db, orgA, async (tx) => ({
      audit: await tx.select().from(auditEvent),
      members: await tx.select().from(member),
    }));
    expect(seen.audit.length).toBeGreaterThan(0);
    expect(seen.audit.every((e) => e.organizationId === orgA)).toBe(true);
    expect(seen.members).toHaveLength(2);
    expect(seen.members.every((m) => m.organizationId === orgA)).toBe(true);
  });

  it("writes into another org are refused and updates of its rows touch nothing", async () => {
    const db = t.deps.database.db;
    await expect(
      withTenant(db, orgA, (tx) =>
        tx.execute(
          sql`insert into audit_event (id, organization_id, actor_kind, action) values ('forged', ${orgB}, 'system', 'forged')`,
        ),
      ),
    ).rejects.toThrow();
    const updated = await withTenant(db, orgA, async (tx) =>
      rows(
        await tx.execute(
          sql`update member set role = 'REVIEWER' where organization_id = ${orgB} returning id`,
        ),
      ),
    );
    expect(updated).toHaveLength(0);
    const bOwners = await db.execute(
      sql`select count(*)::int as n from member where organization_id = ${orgB} and role = 'OWNER'`,
    );
    expect(rows(bOwners)[0]?.n).toBe(1);
  });

  it("a transaction for an unknown org id sees no tenant rows at all", async () => {
    const seen = await withTenant(t.deps.database.db, "no-such-org", (tx) =>
      tx.select().from(auditEvent),
    );
    expect(seen).toEqual([]);
  });
});
