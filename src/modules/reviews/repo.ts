import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { isKeyContext, type OrgContext, type RequestMeta } from "../../access/context.ts";
import { viewableReviews } from "../../access/review-filter.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import {
  member,
  reviewActivity,
  reviewAssignee,
  reviewLink,
  reviewRequest,
  user,
} from "../../db/schema/index.ts";

/** A pending review past its expiry reads as expired: it can no longer be decided. */
export const effectiveStatus = sql<string>`case when ${reviewRequest.status} = 'pending' and ${reviewRequest.expiresAt} <= now() then 'expired' else ${reviewRequest.status}::text end`;

export const summary = {
  id: reviewRequest.id,
  title: reviewRequest.title,
  status: effectiveStatus,
  workflowId: reviewRequest.workflowId,
  executionId: reviewRequest.executionId,
  anyReviewer: reviewRequest.anyReviewer,
  expiresAt: reviewRequest.expiresAt,
  createdAt: reviewRequest.createdAt,
  decidedAt: reviewRequest.decidedAt,
};

/** Where a review sits in the newest-first order: exact UTC creation time (microseconds) and id. */
export interface ReviewPosition {
  at: string;
  id: string;
}

const positionAt = sql<string>`to_char(${reviewRequest.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Reviews the member or key may view, newest first (ties broken by id), optionally after a
 * position: each row carries its own `position`, so a page ends where the next one starts.
 */
export function listVisible(
  db: Queryable,
  ctx: OrgContext,
  filter: {
    status?: string | undefined;
    assignedToMe?: boolean;
    limit: number;
    after?: ReviewPosition | undefined;
  },
) {
  const { status, assignedToMe, limit, after } = filter;
  return db
    .select({ ...summary, position: { at: positionAt, id: reviewRequest.id } })
    .from(reviewRequest)
    .where(
      and(
        viewableReviews(ctx),
        status ? sql`${effectiveStatus} = ${status}` : undefined,
        assignedToMe ? assignedTo(ctx) : undefined,
        after
          ? sql`(${reviewRequest.createdAt}, ${reviewRequest.id}) < (${after.at}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(reviewRequest.createdAt), desc(reviewRequest.id))
    .limit(limit);
}

/** Reviews naming the member as an assignee; none for a key, which no review names. */
const assignedTo = (ctx: OrgContext) =>
  isKeyContext(ctx)
    ? sql`false`
    : sql`exists (select 1 from ${reviewAssignee} where ${and(
        eq(reviewAssignee.reviewId, reviewRequest.id),
        eq(reviewAssignee.memberId, ctx.memberId),
      )})`;

export async function findReview(db: Queryable, orgId: string, id: string) {
  const [row] = await db
    .select({ ...summary, row: reviewRequest })
    .from(reviewRequest)
    .where(and(eq(reviewRequest.organizationId, orgId), eq(reviewRequest.id, id)));
  return row;
}

export async function isAssigned(db: Queryable, orgId: string, reviewId: string, memberId: string) {
  const [row] = await db
    .select({ id: reviewAssignee.id })
    .from(reviewAssignee)
    .where(
      and(
        eq(reviewAssignee.organizationId, orgId),
        eq(reviewAssignee.reviewId, reviewId),
        eq(reviewAssignee.memberId, memberId),
      ),
    );
  return row !== undefined;
}

export interface Decider {
  channel: "app" | "link" | "quick_action" | "api";
  memberId?: string;
  linkId?: string;
  label: string;
}

/**
 * Records a decision only if the review is still pending and not expired: under any number
 * of concurrent attempts exactly one update matches.
 */
export async function recordDecision(
  tx: Tx,
  orgId: string,
  reviewId: string,
  decision: { status: "approved" | "rejected"; comment?: string | undefined },
  by: Decider,
) {
  const rows = await tx
    .update(reviewRequest)
    .set({
      status: decision.status,
      decisionComment: decision.comment ?? null,
      decisionChannel: by.channel,
      decidedByMemberId: by.memberId ?? null,
      decidedByLinkId: by.linkId ?? null,
      decidedByLabel: by.label,
      decidedAt: sql`now()`,
    })
    .where(
      and(
        eq(reviewRequest.organizationId, orgId),
        eq(reviewRequest.id, reviewId),
        eq(reviewRequest.status, "pending"),
        gt(reviewRequest.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return rows[0];
}

export async function addActivity(
  tx: Tx,
  orgId: string,
  reviewId: string,
  activity: {
    kind: string;
    channel: Decider["channel"];
    label?: string;
    memberId?: string;
    linkId?: string;
    detail?: Record<string, unknown>;
  },
  meta: Pick<RequestMeta, "ip" | "userAgent">,
) {
  await tx.insert(reviewActivity).values({
    id: randomUUID(),
    organizationId: orgId,
    reviewId,
    kind: activity.kind,
    channel: activity.channel,
    actorLabel: activity.label ?? null,
    memberId: activity.memberId ?? null,
    linkId: activity.linkId ?? null,
    detail: activity.detail ?? {},
    ip: meta.ip ?? null,
    userAgent: meta.userAgent ?? null,
  });
}

export function listActivity(db: Queryable, orgId: string, reviewId: string) {
  return db
    .select({
      id: reviewActivity.id,
      kind: reviewActivity.kind,
      channel: reviewActivity.channel,
      actorLabel: reviewActivity.actorLabel,
      memberId: reviewActivity.memberId,
      linkId: reviewActivity.linkId,
      detail: reviewActivity.detail,
      ip: reviewActivity.ip,
      userAgent: reviewActivity.userAgent,
      at: reviewActivity.createdAt,
      /** The acting member's e-mail, for entries that carry no label of their own. */
      memberEmail: user.email,
    })
    .from(reviewActivity)
    .leftJoin(
      member,
      and(
        eq(member.organizationId, reviewActivity.organizationId),
        eq(member.id, reviewActivity.memberId),
      ),
    )
    .leftJoin(user, eq(user.id, member.userId))
    .where(and(eq(reviewActivity.organizationId, orgId), eq(reviewActivity.reviewId, reviewId)))
    .orderBy(reviewActivity.createdAt);
}

/** The members a review names, with the name and e-mail the app shows. */
export function listAssignees(db: Queryable, orgId: string, reviewId: string) {
  return db
    .select({ memberId: member.id, name: user.name, email: user.email })
    .from(reviewAssignee)
    .innerJoin(
      member,
      and(
        eq(member.organizationId, reviewAssignee.organizationId),
        eq(member.id, reviewAssignee.memberId),
      ),
    )
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(reviewAssignee.organizationId, orgId), eq(reviewAssignee.reviewId, reviewId)))
    .orderBy(user.email);
}

/** The review's public links without their tokens (stored only hashed anyway), newest first. */
export function listLinks(db: Queryable, orgId: string, reviewId: string) {
  return db
    .select({
      id: reviewLink.id,
      expiresAt: reviewLink.expiresAt,
      maxUses: reviewLink.maxUses,
      decisions: reviewLink.decisions,
      views: reviewLink.views,
      lastUsedAt: reviewLink.lastUsedAt,
      revokedAt: reviewLink.revokedAt,
      createdAt: reviewLink.createdAt,
    })
    .from(reviewLink)
    .where(and(eq(reviewLink.organizationId, orgId), eq(reviewLink.reviewId, reviewId)))
    .orderBy(desc(reviewLink.createdAt));
}
