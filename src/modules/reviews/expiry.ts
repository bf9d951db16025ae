import { and, eq, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../db/client.ts";
import { reviewActivity, reviewRequest } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import type { JobQueue } from "../../jobs/queue.ts";
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
    retryLimit: 5,
    retryDelay: 30,
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
    const [already] = await tx
      .select({ id: reviewActivity.id })
      .from(reviewActivity)
      .where(
        and(
          eq(reviewActivity.organizationId, job.orgId),
          eq(reviewActivity.reviewId, job.reviewId),
          eq(reviewActivity.kind, "expired"),
        ),
      );
    if (already) return false;
    const meta = {
      requestId: `review-expiry-${job.reviewId}`,
      ip: undefined,
      userAgent: undefined,
    };
    await addActivity(tx, job.orgId, job.reviewId, { kind: "expired", channel: "app" }, meta);
    await recordAudit(
      tx,
      { orgId: job.orgId, actor: { kind: "system", reason: "review expiry" }, meta },
      { action: "review.expired", targetType: "review", targetId: job.reviewId },
    );
    await emitWebhookEvent(tx, deps.webhooks, {
      orgId: job.orgId,
      type: "review.expired",
      data: { review_id: job.reviewId, execution_id: null },
    });
    return true;
  });
}
