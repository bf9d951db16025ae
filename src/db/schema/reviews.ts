import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { member, organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";

export const reviewStatus = pgEnum("review_status", [
  "pending",
  "approved",
  "rejected",
  "cancelled",
]);
export const reviewChannel = pgEnum("review_channel", ["app", "link", "quick_action", "api"]);

/**
 * A request for a human decision, raised by a workflow's review node or through the API.
 * A pending review past `expires_at` counts as expired (it can no longer be decided).
 */
export const reviewRequest = pgTable(
  "review_request",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    workflowId: text("workflow_id"),
    executionId: text("execution_id"),
    nodeId: text("node_id"),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    payload: jsonb("payload").notNull().default({}),
    /** Routed to every REVIEWER, besides the members listed in review_assignee. */
    anyReviewer: boolean("any_reviewer").notNull().default(false),
    status: reviewStatus("status").notNull().default("pending"),
    decidedByMemberId: text("decided_by_member_id"),
    decidedByLinkId: text("decided_by_link_id"),
    decidedByLabel: text("decided_by_label"),
    decisionChannel: reviewChannel("decision_channel"),
    decisionComment: text("decision_comment"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("review_request_org_id_idx").on(t.organizationId, t.id),
    // one review per execution node: a node re-run after a crash finds the review it made
    uniqueIndex("review_request_execution_node_idx").on(t.executionId, t.nodeId),
    index("review_request_org_status_idx").on(t.organizationId, t.status, t.createdAt),
    tenantPolicy("review_request"),
  ],
).enableRLS();

/** Rows that belong to one review: deleted with it, never pointing into another org's review. */
const ofReview = (name: string, t: { organizationId: AnyPgColumn; reviewId: AnyPgColumn }) =>
  foreignKey({
    name: `${name}_review_fk`,
    columns: [t.organizationId, t.reviewId],
    foreignColumns: [reviewRequest.organizationId, reviewRequest.id],
  }).onDelete("cascade");

export const reviewAssignee = pgTable(
  "review_assignee",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    reviewId: text("review_id").notNull(),
    memberId: text("member_id").notNull(),
  },
  (t) => [
    uniqueIndex("review_assignee_review_member_idx").on(t.reviewId, t.memberId),
    index("review_assignee_org_member_idx").on(t.organizationId, t.memberId),
    ofReview("review_assignee", t),
    foreignKey({
      name: "review_assignee_member_fk",
      columns: [t.organizationId, t.memberId],
      foreignColumns: [member.organizationId, member.id],
    }).onDelete("cascade"),
    tenantPolicy("review_assignee"),
  ],
).enableRLS();

/** A public review link: the token is stored only as its SHA-256. */
export const reviewLink = pgTable(
  "review_link",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    reviewId: text("review_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    maxUses: integer("max_uses").notNull().default(1),
    decisions: integer("decisions").notNull().default(0),
    views: integer("views").notNull().default(0),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // target of review_session's composite foreign key
    uniqueIndex("review_link_org_id_idx").on(t.organizationId, t.id),
    index("review_link_org_review_idx").on(t.organizationId, t.reviewId),
    ofReview("review_link", t),
    tenantPolicy("review_link"),
  ],
).enableRLS();

/** Everything that happened to a review: what, through which channel, who, from where. */
export const reviewActivity = pgTable(
  "review_activity",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    reviewId: text("review_id").notNull(),
    kind: text("kind").notNull(),
    channel: reviewChannel("channel").notNull(),
    actorLabel: text("actor_label"),
    memberId: text("member_id"),
    linkId: text("link_id"),
    detail: jsonb("detail").notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("review_activity_org_review_idx").on(t.organizationId, t.reviewId, t.createdAt),
    ofReview("review_activity", t),
    tenantPolicy("review_activity"),
  ],
).enableRLS();

/** A one-click decision for notifications: one review, one action, single use, hashed. */
export const reviewQuickAction = pgTable(
  "review_quick_action",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    reviewId: text("review_id").notNull(),
    action: text("action", { enum: ["approved", "rejected"] }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** Who the link was sent to (the actor label of a decision made with it). */
    recipient: text("recipient"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // target of review_session's composite foreign key
    uniqueIndex("review_quick_action_org_id_idx").on(t.organizationId, t.id),
    index("review_quick_action_org_review_idx").on(t.organizationId, t.reviewId),
    ofReview("review_quick_action", t),
    tenantPolicy("review_quick_action"),
  ],
).enableRLS();

/**
 * A visit to a public link or quick action: the cookie's session id and the form's CSRF
 * token are stored only as SHA-256, bound to one review and one link or quick action.
 */
export const reviewSession = pgTable(
  "review_session",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    reviewId: text("review_id").notNull(),
    linkId: text("link_id"),
    quickActionId: text("quick_action_id"),
    tokenHash: text("token_hash").notNull().unique(),
    csrfHash: text("csrf_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("review_session_org_review_idx").on(t.organizationId, t.reviewId, t.expiresAt),
    ofReview("review_session", t),
    foreignKey({
      name: "review_session_link_fk",
      columns: [t.organizationId, t.linkId],
      foreignColumns: [reviewLink.organizationId, reviewLink.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "review_session_quick_action_fk",
      columns: [t.organizationId, t.quickActionId],
      foreignColumns: [reviewQuickAction.organizationId, reviewQuickAction.id],
    }).onDelete("cascade"),
    // exactly one of link / quick action
    check("review_session_one_grant", sql`num_nonnulls(${t.linkId}, ${t.quickActionId}) = 1`),
    tenantPolicy("review_session"),
  ],
).enableRLS();
