import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize, authorizeListing, isAllowed } from "../../access/authorize.ts";
import { isKeyContext, type OrgContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { reviewAssignee, reviewRequest } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { requestHash, runOnce } from "../api-keys/idempotency.ts";
import { type AuditContext, recordAudit } from "../audit/record.ts";
import { findMember } from "../orgs/repo.ts";
import { emitWebhookEvent } from "../webhooks/events.ts";
import type { WebhookQueue } from "../webhooks/jobs.ts";
import { accessTo, authorizedReview } from "./authorized.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { decisionOf } from "./decisions.ts";
import { scheduleReviewExpiry } from "./expiry.ts";
import { reviewInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

export interface NewReview {
  title: string;
  body: string;
  payload: Record<string, unknown>;
  assignees: string[];
  anyReviewer: boolean;
  expiresInSeconds: number;
  source?: { workflowId: string; executionId: string; nodeId: string };
  /** Chosen in advance by a review node, which sends its notifications before it stores. */
  preset?: { id: string; expiresAt: Date };
}

/** What creating a review needs: the instance's longest review, and the job queue. */
export interface ReviewDeps {
  maxSeconds: number;
  queue: WebhookQueue;
}

/**
 * Inserts a review (transport-neutral; callers authorize). A workflow node that runs again
 * after a crash gets the review it created the first time.
 */
export async function insertReview(
  tx: Tx,
  audit: AuditContext,
  review: NewReview,
  limits: ReviewDeps,
) {
  checkLifetime(review, limits);
  const id = review.preset?.id ?? randomUUID();
  const expiresAt =
    review.preset?.expiresAt ?? new Date(Date.now() + review.expiresInSeconds * 1000);
  const [created] = await tx
    .insert(reviewRequest)
    .values({
      id,
      organizationId: audit.orgId,
      title: review.title,
      body: review.body,
      payload: review.payload,
      anyReviewer: review.anyReviewer,
      expiresAt,
      ...(review.source ?? {}),
    })
    .onConflictDoNothing()
    .returning({ id: reviewRequest.id, expiresAt: reviewRequest.expiresAt });
  if (!created && review.source) {
    const existing = await tx.query.reviewRequest.findFirst({
      where: (r, { and, eq }) =>
        and(
          eq(r.executionId, review.source?.executionId ?? ""),
          eq(r.nodeId, review.source?.nodeId ?? ""),
        ),
    });
    if (existing) return { id: existing.id, expiresAt: existing.expiresAt, created: false };
  }
  if (!created) throw new AppError("CONFLICT", "The review could not be created");
  await checkAssignees(tx, audit.orgId, review.assignees);
  for (const memberId of new Set(review.assignees)) {
    await tx
      .insert(reviewAssignee)
      .values({ id: randomUUID(), organizationId: audit.orgId, reviewId: id, memberId });
  }
  await repo.addActivity(tx, audit.orgId, id, { kind: "created", ...channelOf(audit) }, audit.meta);
  await recordAudit(tx, audit, {
    action: "review.created",
    targetType: "review",
    targetId: id,
    metadata: { title: review.title, ...review.source },
  });
  if (!review.source) {
    await scheduleReviewExpiry(limits.queue, tx, { orgId: audit.orgId, reviewId: id }, expiresAt);
  }
  await emitWebhookEvent(tx, limits.queue, {
    orgId: audit.orgId,
    type: "review.created",
    data: {
      review_id: id,
      title: review.title,
      workflow_id: review.source?.workflowId ?? null,
      execution_id: review.source?.executionId ?? null,
      expires_at: created.expiresAt.toISOString(),
    },
  });
  return { id, expiresAt: created.expiresAt, created: true };
}

/** A review may not outlive the instance's longest review. */
export function checkLifetime(review: Pick<NewReview, "expiresInSeconds">, limits: ReviewDeps) {
  if (review.expiresInSeconds > limits.maxSeconds) {
    throw new AppError(
      "BAD_REQUEST",
      `expiresInSeconds: a review may stay open at most ${limits.maxSeconds} seconds on this instance`,
      { field: "expiresInSeconds" },
    );
  }
}

/** Every assignee is a member of the organization. */
export async function checkAssignees(tx: Tx, orgId: string, assignees: string[]) {
  for (const memberId of new Set(assignees)) {
    if (!(await findMember(tx, orgId, memberId))) {
      throw new AppError(
        "BAD_REQUEST",
        `assignees: ${memberId} is not a member of the organization`,
        { field: "assignees" },
      );
    }
  }
}

/**
 * The channel and label activity records for an actor: an API key is `api` under its label;
 * members and workflows act in the app.
 */
export const channelOf = (audit: AuditContext) =>
  audit.actor.kind === "apiKey"
    ? ({ channel: "api", label: audit.actor.label } as const)
    : ({ channel: "app" } as const);

/**
 * A member (OWNER/ADMIN) or a key with reviews:write raises a review. A key may name an
 * `Idempotency-Key`: repeating it with the same input answers with the same review.
 */
export function requestReview(
  limits: ReviewDeps,
  ctx: OrgContext,
  input: z.input<typeof reviewInputs.create>,
  idempotencyKey?: string,
) {
  authorize(ctx, "review:create");
  const parsed = reviewInputs.create.parse(input);
  const create = (tx: Tx) => insertReview(tx, ctx, parsed, limits);
  if (!idempotencyKey || !isKeyContext(ctx)) {
    return withTenant(ctx.db, ctx.orgId, async (tx) => ({
      ...(await create(tx)),
      replayed: false,
    }));
  }
  return runOnce(
    ctx,
    { idempotencyKey, requestHash: requestHash("review.create", parsed), status: 201 },
    create,
    async (tx, id) => {
      const review = await repo.findReview(tx, ctx.orgId, id);
      if (!review) throw notFound("Review");
      return { id, expiresAt: review.expiresAt, created: false };
    },
  );
}

/**
 * Reviews the actor may view, newest first, one page at a time: `next` is where the following
 * page starts (null on the last page).
 */
export async function listReviews(ctx: OrgContext, input: z.input<typeof reviewInputs.list>) {
  const { cursor, ...filter } = reviewInputs.list.parse(input);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const { page, next } = await listReviewPage(ctx, { ...filter, after });
  return { items: page, nextCursor: next && encodeCursor(next) };
}

type PageInput = z.input<typeof reviewInputs.list> & { after?: repo.ReviewPosition | undefined };

export function listReviewPage(ctx: OrgContext, { after, ...input }: PageInput) {
  authorizeListing(ctx, "review:view");
  const { status, assignedToMe, limit } = reviewInputs.list.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const rows = await repo.listVisible(tx, ctx, {
      status,
      assignedToMe,
      limit: limit + 1,
      after,
    });
    const page = rows.slice(0, limit).map(({ position: _, ...review }) => review);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { page, next: last ? last.position : null };
  });
}

/** The activity log of one review, oldest first. */
export function listReviewActivity(ctx: OrgContext, input: z.input<typeof reviewInputs.id>) {
  const { reviewId } = reviewInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedReview(tx, ctx, reviewId, "review:view");
    return repo.listActivity(tx, ctx.orgId, reviewId);
  });
}

export function getReview(ctx: OrgContext, input: z.input<typeof reviewInputs.id>) {
  const { reviewId } = reviewInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const review = await authorizedReview(tx, ctx, reviewId, "review:view");
    const access = await accessTo(tx, ctx, review);
    const { row, ...summary } = review;
    return {
      ...summary,
      body: row.body,
      payload: row.payload,
      decision: decisionOf(row),
      assignees: await repo.listAssignees(tx, ctx.orgId, reviewId),
      links: isAllowed(ctx, "review:link", access)
        ? await repo.listLinks(tx, ctx.orgId, reviewId)
        : [],
      activity: await repo.listActivity(tx, ctx.orgId, reviewId),
      /** What the caller may do here, so a client shows only those controls. */
      allowed: {
        decide: isAllowed(ctx, "review:decide", access),
        link: isAllowed(ctx, "review:link", access),
      },
    };
  });
}
