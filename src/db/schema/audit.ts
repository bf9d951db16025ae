import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";

/** Tenant audit trail: who did what to which target, from where. */
export const auditEvent = pgTable(
  "audit_event",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    actorKind: text("actor_kind", { enum: ["user", "apiKey", "reviewLink", "system"] }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_event_org_created_idx").on(t.organizationId, t.createdAt),
    tenantPolicy("audit_event"),
  ],
).enableRLS();

/** User-level security events (sign-in, password reset) that belong to no organization. */
export const securityEvent = pgTable(
  "security_event",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => user.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("security_event_user_idx").on(t.userId, t.createdAt)],
);
