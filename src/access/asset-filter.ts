import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { scopeOf } from "./authorize.ts";
import type { MemberContext } from "./context.ts";
import { type AssetLevel, type AssetType, assetLevels } from "./statements.ts";

/** The access levels that include `verb` (e.g. every level that lets a member view). */
export function levelsAllowing(type: AssetType, verb: string): AssetLevel[] {
  return Object.entries(assetLevels[type])
    .filter(([, verbs]) => (verbs as readonly string[]).includes(verb))
    .map(([level]) => level as AssetLevel);
}

interface Shareable {
  id: AnyPgColumn;
  organizationId: AnyPgColumn;
  sharingMode: AnyPgColumn;
  defaultLevel: AnyPgColumn;
}
interface Grants {
  assetId: AnyPgColumn;
  memberId: AnyPgColumn;
  level: AnyPgColumn;
}

/**
 * The WHERE condition for listing the assets a member may view — the list-shaped form of
 * `authorize(ctx, "<type>:view", asset)`, so listings and single reads always agree.
 */
export function viewableAssets(
  ctx: MemberContext,
  type: AssetType,
  asset: Shareable & PgTable,
  grants: Grants & PgTable,
): SQL {
  const inOrg = eq(asset.organizationId, ctx.orgId);
  const scope = scopeOf(ctx.role, `${type}:view`);
  if (scope === "any") return inOrg;
  if (scope !== "granted") return sql`false`;
  const viewLevels = levelsAllowing(type, "view");
  const granted = sql`exists (select 1 from ${grants} where ${and(
    eq(grants.assetId, asset.id),
    eq(grants.memberId, ctx.memberId),
    inArray(grants.level, viewLevels),
  )})`;
  const shared = and(eq(asset.sharingMode, "shared"), inArray(asset.defaultLevel, viewLevels));
  return and(inOrg, or(shared, granted)) as SQL;
}
