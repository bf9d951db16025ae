import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { tenantPolicy } from "./tenant.ts";

export const roleEnum = pgEnum("member_role", ["OWNER", "ADMIN", "PARTICIPANT", "REVIEWER"]);

export const organization = pgTable("organization", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** `organization_id NOT NULL` referencing the tenant; every tenant table uses this column. */
export const organizationId = () =>
  text("organization_id")
    .notNull()
    .references(() => organization.id, { onDelete: "cascade" });

export const member = pgTable(
  "member",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("member_org_user_idx").on(t.organizationId, t.userId),
    uniqueIndex("member_org_id_idx").on(t.organizationId, t.id),
    index("member_user_idx").on(t.userId),
    tenantPolicy("member"),
  ],
).enableRLS();

export const invitationStatus = pgEnum("invitation_status", ["pending", "accepted", "revoked"]);

export const invitation = pgTable(
  "invitation",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    status: invitationStatus("status").notNull().default("pending"),
    invitedBy: text("invited_by")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  },
  (t) => [
    index("invitation_org_idx").on(t.organizationId),
    // One pending invitation per address and organization, even under concurrent invites.
    uniqueIndex("invitation_pending_email_idx")
      .on(t.organizationId, t.email)
      .where(sql`status = 'pending'`),
    tenantPolicy("invitation"),
  ],
).enableRLS();
