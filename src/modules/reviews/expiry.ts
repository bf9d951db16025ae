import { and, eq, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../db/client.ts";
import { reviewActivity, reviewRequest } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { HEARTBEAT_SECONDS, type JobQueue } from "../../jobs/queue.ts";
import { recordAudit } from "../audit/record.ts";
import { emitWebhookEvent } from "../webhooks/events.ts";
import type { WebhookQueue } from "../webhooks/jobs.ts";
import { addActivity } from "./repo.ts";

/**
 * A review raised by a workflow ends with its wait's timeout (expireWait). A standalone
 * review (app or API) has no wait: this delayed job marks its expiry once it is due, so the
 * activity log, the audit trail and `review.expired` subscribers learn of it.
 */
export const REVIEW_EXPIRE_QUEUE = "review.expire";

export interface ReviewExpireJob {
  orgId: string;
  reviewId: string;
}

export function scheduleReviewExpiry(
  queue: Pick<JobQueue, "sendInTransaction">,
  tx: Queryable,
  job: ReviewExpireJob,
  expiresAt: Date,
) {
  return queue.sendInTransaction(tx, REVIEW_EXPIRE_QUEUE, job, {
    startAfter: expiresAt,
    // one short transaction: a job still active after this, or whose heartbeat stopped, belongs
    // to a worker that died
    expireInSeconds: 30,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
  });
}

/** Records the expiry of a still-undecided review, exactly once (the row lock orders reruns). */
export function expireReview(deps: { db: Db; webhooks: WebhookQueue }, job: ReviewExpireJob) {
  return withTenant(deps.db, job.orgId, async (tx) => {
    const [review] = await tx
      .select({ id: reviewRequest.id, due: sql<boolean>`${reviewRequest.expiresAt} <= now()` })
      .from(reviewRequest)
      .where(
        and(
          eq(reviewRequest.organizationId, job.orgId),
          eq(reviewRequest.id, job.reviewId),
          eq(reviewRequest.status, "pending"),
        ),
      )
      .for("update");
    if (!review?.due) return false; // decided, cancelled, deleted, or the clock is behind
    return recordReviewExpiry(tx, deps.webhooks, { ...job, executionId: null });
  });
}

/**
 * The expiry of an undecided review, once: activity, audit (by the system) and the
 * `review.expired` event, in the caller's transaction. False when it was recorded before.
 */
export async function recordReviewExpiry(
  tx: Tx,
  webhooks: WebhookQueue,
  review: ReviewExpireJob & { executionId: string | null },
): Promise<boolean> {
  const { orgId, reviewId, executionId } = review;
  const [already] = await tx
    .select({ id: reviewActivity.id })
    .from(reviewActivity)
    .where(
      and(
        eq(reviewActivity.organizationId, orgId),
        eq(reviewActivity.reviewId, reviewId),
        eq(reviewActivity.kind, "expired"),
      ),
    );
  if (already) return false;
  const meta = { requestId: `review-expiry-${reviewId}`, ip: undefined, userAgent: undefined };
  await addActivity(tx, orgId, reviewId, { kind: "expired", channel: "app" }, meta);
  await recordAudit(
    tx,
    { orgId, actor: { kind: "system", reason: "review expiry" }, meta },
    { action: "review.expired", targetType: "review", targetId: reviewId },
  );
  await emitWebhookEvent(tx, webhooks, {
    orgId,
    type: "review.expired",
    data: { review_id: reviewId, execution_id: executionId },
  });
  return true;
}
