import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { AssetAccess } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { AssetLevel } from "../../access/statements.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { member, user } from "../../db/schema/index.ts";
import { assetTables, type ShareableType } from "./assets.ts";

type Row = Record<string, unknown>;

/** The sharing facts the policy needs about one asset, as seen by the acting member. */
export async function loadAssetAccess(
  db: Queryable,
  ctx: MemberContext,
  type: ShareableType,
  assetId: string,
): Promise<AssetAccess | undefined> {
  const { table, grants } = assetTables[type];
  const result = await db.execute(sql`
    select a.id, a.organization_id, a.sharing_mode, a.default_level, g.level as grant_level
    from ${table} a
    left join ${grants} g on g.asset_id = a.id and g.member_id = ${ctx.memberId}
    where a.organization_id = ${ctx.orgId} and a.id = ${assetId}`);
  const row = (result as unknown as { rows: Row[] }).rows[0];
  if (!row) return undefined;
  return {
    type,
    id: String(row.id),
    orgId: String(row.organization_id),
    mode: row.sharing_mode as AssetAccess["mode"],
    defaultLevel: row.default_level as AssetLevel,
    grantLevel: (row.grant_level as AssetLevel | null) ?? null,
  };
}

export function listGrants(
  db: Queryable,
  ctx: MemberContext,
  type: ShareableType,
  assetId: string,
) {
  const { grants } = assetTables[type];
  return db
    .select({
      memberId: grants.memberId,
      level: grants.level,
      name: user.name,
      role: member.role,
      grantedAt: grants.createdAt,
    })
    .from(grants)
    .innerJoin(member, eq(member.id, grants.memberId))
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(grants.organizationId, ctx.orgId), eq(grants.assetId, assetId)));
}

export async function findGrantLevel(
  db: Queryable,
  ctx: MemberContext,
  type: ShareableType,
  assetId: string,
  memberId: string,
): Promise<AssetLevel | null> {
  const { grants } = assetTables[type];
  const [row] = await db
    .select({ level: grants.level })
    .from(grants)
    .where(
      and(
        eq(grants.organizationId, ctx.orgId),
        eq(grants.assetId, assetId),
        eq(grants.memberId, memberId),
      ),
    );
  return row?.level ?? null;
}

export async function upsertGrant(
  tx: Tx,
  ctx: MemberContext,
  type: ShareableType,
  grant: { assetId: string; memberId: string; level: AssetLevel },
) {
  const { grants } = assetTables[type];
  await tx
    .insert(grants)
    .values({ id: randomUUID(), organizationId: ctx.orgId, grantedBy: ctx.userId, ...grant })
    .onConflictDoUpdate({
      target: [grants.assetId, grants.memberId],
      set: { level: grant.level, grantedBy: ctx.userId },
    });
}

export async function deleteGrant(
  tx: Tx,
  ctx: MemberContext,
  type: ShareableType,
  assetId: string,
  memberId: string,
): Promise<boolean> {
  const { grants } = assetTables[type];
  const rows = await tx
    .delete(grants)
    .where(
      and(
        eq(grants.organizationId, ctx.orgId),
        eq(grants.assetId, assetId),
        eq(grants.memberId, memberId),
      ),
    )
    .returning({ id: grants.id });
  return rows.length > 0;
}

export async function setSharingMode(
  tx: Tx,
  ctx: MemberContext,
  type: ShareableType,
  assetId: string,
  settings: { mode: AssetAccess["mode"]; defaultLevel: AssetLevel },
) {
  const { table } = assetTables[type];
  await tx
    .update(table)
    .set({ sharingMode: settings.mode, defaultLevel: settings.defaultLevel, updatedAt: new Date() })
    .where(and(eq(table.organizationId, ctx.orgId), eq(table.id, assetId)));
}

/** Every grant a member holds in the organization, on every asset type. */
export async function deleteAllGrantsOf(tx: Tx, orgId: string, memberId: string): Promise<number> {
  let removed = 0;
  for (const { grants } of Object.values(assetTables)) {
    const rows = await tx
      .delete(grants)
      .where(and(eq(grants.organizationId, orgId), eq(grants.memberId, memberId)))
      .returning({ id: grants.id });
    removed += rows.length;
  }
  return removed;
}
