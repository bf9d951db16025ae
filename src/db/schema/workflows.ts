import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organizationId } from "./orgs.ts";
import { grantTable, sharingColumns } from "./sharing.ts";
import { tenantPolicy } from "./tenant.ts";

export const workflow = pgTable(
  "workflow",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The version new executions run; null until a definition is saved. */
    currentVersion: integer("current_version"),
    /** SHA-256 of the incoming-webhook secret (shown once, rotatable). */
    webhookSecretHash: text("webhook_secret_hash"),
    ...sharingColumns(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workflow_org_id_idx").on(t.organizationId, t.id),
    index("workflow_org_name_idx").on(t.organizationId, t.name),
    tenantPolicy("workflow"),
  ],
).enableRLS();

export const workflowGrant = grantTable("workflow_grant", workflow);
