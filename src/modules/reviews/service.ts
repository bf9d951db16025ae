import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  authorize,
  authorizeListing,
  isAllowed,
  isRoutedTo,
  type ReviewAccess,
} from "../../access/authorize.ts";
import { isKeyContext, type MemberContext, type OrgContext } from "../../access/context.ts";
import type { Action } from "../../access/statements.ts";
import type { Tx } from "../../db/client.ts";
import { reviewAssignee, reviewRequest } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { requestHash, runOnce } from "../api-keys/idempotency.ts";
import { type AuditContext, recordAudit } from "../audit/record.ts";
import { findMember } from "../orgs/repo.ts";
import { loadAssetAccess } from "../sharing/repo.ts";
import { emitWebhookEvent } from "../webhooks/events.ts";
import type { WebhookQueue } from "../webhooks/jobs.ts";
import type { EngineDeps } from "../workflows/engine/deps.ts";
import { deliverEventInTx } from "../workflows/engine/events.ts";
import { scheduleReviewExpiry } from "./expiry.ts";
import { reviewInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

type ReviewRow = NonNullable<Awaited<ReturnType<typeof repo.findReview>>>;

/** The policy's view of one review for the acting member or key (a key's scopes decide alone). */
async function accessTo(tx: Tx, ctx: OrgContext, review: ReviewRow): Promise<ReviewAccess> {
  const orgId = review.row.organizationId;
  if (isKeyContext(ctx)) return { type: "review", orgId, routed: false, viaWorkflow: false };
  const assignedToMe = await repo.isAssigned(tx, ctx.orgId, review.id, ctx.memberId);
  const workflow = review.workflowId
    ? await loadAssetAccess(tx, ctx, "workflow", review.workflowId)
    : undefined;
  return {
    type: "review",
    orgId,
    routed: isRoutedTo(ctx, { anyReviewer: review.anyReviewer, assignedToMe }),
    viaWorkflow: workflow !== undefined && isAllowed(ctx, "workflow:view", workflow),
  };
}

/** Loads a review and authorizes `action` on it (404 when the actor may not even see it). */
export async function authorizedReview(tx: Tx, ctx: OrgContext, reviewId: string, action: Action) {
  // a key without the scope is told which scope it lacks, whatever the review
  if (isKeyContext(ctx)) authorize(ctx, action);
  const review = await repo.findReview(tx, ctx.orgId, reviewId);
  if (!review) throw notFound("Review");
  authorize(ctx, action, await accessTo(tx, ctx, review));
  return review;
}

export interface NewReview {
  title: string;
  body: string;
  payload: Record<string, unknown>;
  assignees: string[];
  anyReviewer: boolean;
  expiresInSeconds: number;
  source?: { workflowId: string; executionId: string; nodeId: string };
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
  if (review.expiresInSeconds > limits.maxSeconds) {
    throw new AppError(
      "BAD_REQUEST",
      `expiresInSeconds: a review may stay open at most ${limits.maxSeconds} seconds on this instance`,
      { field: "expiresInSeconds" },
    );
  }
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + review.expiresInSeconds * 1000);
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
  for (const memberId of new Set(review.assignees)) {
    if (!(await findMember(tx, audit.orgId, memberId))) {
      throw new AppError(
        "BAD_REQUEST",
        `assignees: ${memberId} is not a member of the organization`,
        { field: "assignees" },
      );
    }
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
  return (await listReviewPage(ctx, input ?? {})).page;
}

export function listReviewPage(
  ctx: OrgContext,
  input: z.input<typeof reviewInputs.list> & { after?: repo.ReviewPosition | undefined },
) {
  authorizeListing(ctx, "review:view");
  const { status, limit } = reviewInputs.list.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const rows = await repo.listVisible(tx, ctx, { status, limit: limit + 1, after: input.after });
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
    const { row, ...summary } = review;
    return {
      ...summary,
      body: row.body,
      payload: row.payload,
      decision: decisionOf(row),
      activity: await repo.listActivity(tx, ctx.orgId, reviewId),
    };
  });
}

const decisionOf = (row: ReviewRow["row"]) =>
  row.decidedAt
    ? {
        by: row.decidedByLabel,
        channel: row.decisionChannel,
        comment: row.decisionComment,
        at: row.decidedAt,
      }
    : null;

/**
 * Records a decision (exactly one wins under concurrency), logs it, audits it and resumes the
 * waiting execution down the approved or rejected branch — all in the caller's transaction.
 * A review already decided or expired answers CONFLICT with what was recorded.
 */
export async function decideInTx(
  engine: EngineDeps,
  tx: Tx,
  audit: AuditContext,
  reviewId: string,
  decision: { status: "approved" | "rejected"; comment?: string | undefined },
  by: repo.Decider,
) {
  const decided = await repo.recordDecision(tx, audit.orgId, reviewId, decision, by);
  if (!decided) {
    const current = await repo.findReview(tx, audit.orgId, reviewId);
    if (!current) throw notFound("Review");
    throw new AppError("CONFLICT", `This review is already ${current.status}`, {
      status: current.status,
      decision: decisionOf(current.row),
    });
  }
  await repo.addActivity(
    tx,
    audit.orgId,
    reviewId,
    {
      kind: decision.status,
      channel: by.channel,
      label: by.label,
      ...(by.memberId && { memberId: by.memberId }),
      ...(by.linkId && { linkId: by.linkId }),
      detail: { comment: decision.comment ?? null },
    },
    audit.meta,
  );
  await recordAudit(tx, audit, {
    action: `review.${decision.status}`,
    targetType: "review",
    targetId: reviewId,
    metadata: { channel: by.channel, by: by.label },
  });
  await emitWebhookEvent(tx, engine.webhooks, {
    orgId: audit.orgId,
    type: `review.${decision.status}`,
    data: { review_id: reviewId, decision: decision.status, channel: by.channel, by: by.label },
  });
  if (decided.executionId) {
    const payload = { decision: decision.status, comment: decision.comment ?? null, by: by.label };
    await deliverEventInTx(
      engine,
      tx,
      { orgId: audit.orgId, executionId: decided.executionId },
      `review:${reviewId}`,
      payload,
      decision.status,
    );
  }
  return { reviewId, status: decision.status };
}

/** In the app or through the API: the member or key must be allowed to decide this review. */
export function decideReview(
  engine: EngineDeps,
  ctx: OrgContext,
  input: z.input<typeof reviewInputs.decide>,
) {
  const { reviewId, decision, comment } = reviewInputs.decide.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedReview(tx, ctx, reviewId, "review:decide");
    const by: repo.Decider = isKeyContext(ctx)
      ? { channel: "api", label: ctx.actor.label }
      : { channel: "app", memberId: ctx.memberId, label: await memberLabel(tx, ctx) };
    return decideInTx(engine, tx, ctx, reviewId, { status: decision, comment }, by);
  });
}

async function memberLabel(tx: Tx, ctx: MemberContext) {
  const user = await tx.query.user.findFirst({
    where: (u, { eq }) => eq(u.id, ctx.userId),
    columns: { name: true, email: true },
  });
  return user ? `${user.name} <${user.email}>` : ctx.userId;
}
