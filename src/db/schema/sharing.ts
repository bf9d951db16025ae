import {
  type AnyPgColumn,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { member, organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";

export const sharingMode = pgEnum("sharing_mode", ["shared", "restricted"]);
export const assetLevel = pgEnum("asset_level", ["view", "use", "edit"]);

/** Sharing columns every shareable asset (workflow, credential) carries. */
export const sharingColumns = () => ({
  sharingMode: sharingMode("sharing_mode").notNull().default("restricted"),
  defaultLevel: assetLevel("default_level").notNull(),
});

/** The columns of an asset table a grant table refers to. */
type AssetTable = { id: AnyPgColumn; organizationId: AnyPgColumn };

/**
 * Per-member grants on one kind of asset. Composite foreign keys on (organization_id, …)
 * make a grant to a member of another organization, or on another organization's asset,
 * impossible in the database itself.
 */
export function grantTable(name: string, asset: AssetTable) {
  return pgTable(
    name,
    {
      id: text("id").primaryKey(),
      organizationId: organizationId(),
      assetId: text("asset_id").notNull(),
      memberId: text("member_id").notNull(),
      level: assetLevel("level").notNull(),
      grantedBy: text("granted_by").references(() => user.id, { onDelete: "set null" }),
      createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [
      uniqueIndex(`${name}_asset_member_idx`).on(t.assetId, t.memberId),
      index(`${name}_org_member_idx`).on(t.organizationId, t.memberId),
      foreignKey({
        name: `${name}_member_fk`,
        columns: [t.organizationId, t.memberId],
        foreignColumns: [member.organizationId, member.id],
      }).onDelete("cascade"),
      foreignKey({
        name: `${name}_asset_fk`,
        columns: [t.organizationId, t.assetId],
        foreignColumns: [asset.organizationId, asset.id],
      }).onDelete("cascade"),
      tenantPolicy(name),
    ],
  ).enableRLS();
}
