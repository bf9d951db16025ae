import { and, eq } from "drizzle-orm";
import type { Tx } from "../../../db/client.ts";
import { executionStep } from "../../../db/schema/index.ts";
import { withTenant } from "../../../db/tenant.ts";
import { AppError } from "../../../lib/errors.ts";
import { recordReviewExpiry } from "../../reviews/expiry.ts";
import { findReview } from "../../reviews/repo.ts";
import type { EngineDeps } from "./deps.ts";
import * as repo from "./repo.ts";
import { isReviewWaitKey, reviewIdOfWaitKey, reviewWaitKey } from "./wait-keys.ts";

type Resolution = Parameters<typeof repo.resolveWait>[4];
type At = { orgId: string; executionId: string };

/**
 * Resolves a waiting step and puts the execution back on the queue, in the caller's
 * transaction. False when the execution is not waiting (cancelled, or already resumed) or no
 * step waits that way; then nothing changes. (Should the step have been resolved by someone
 * else in between, the queued execution simply parks again when it finds nothing to run.)
 */
async function resume(
  deps: EngineDeps,
  tx: Tx,
  at: At,
  match: Parameters<typeof repo.resolveWait>[3],
  outcome: Resolution,
) {
  if (!(await repo.requeueWaiting(tx, at.orgId, at.executionId))) return false;
  const step = await repo.resolveWait(tx, at.orgId, at.executionId, match, outcome);
  await deps.enqueue({ name: "execution.advance", data: at }, { tx });
  return step !== undefined;
}

/**
 * A review's decision for the execution waiting on it, inside the caller's transaction: the
 * review node continues on the decision's port with the decision as its output. The one way,
 * besides its expiry, a review node's wait ends.
 *
 * The execution row is locked first. A worker parks an execution (`parkExecution`) under the
 * same lock and then looks for reviews decided meanwhile, so a decision that lands while the
 * review node is still being recorded is either seen by the parking worker or finds the
 * execution waiting — never lost between the two.
 */
export async function resumeReviewWaitInTx(
  deps: EngineDeps,
  tx: Tx,
  at: At,
  review: DecidedReview,
) {
  await repo.lockExecution(tx, at.orgId, at.executionId);
  const output = {
    decision: review.status,
    comment: review.decisionComment ?? null,
    by: review.decidedByLabel,
  };
  const outcome = { status: "succeeded", port: review.status, output } as const;
  return resume(deps, tx, at, { waitKey: reviewWaitKey(review.id) }, outcome);
}

type DecidedReview = {
  id: string;
  status: "approved" | "rejected";
  decisionComment: string | null;
  decidedByLabel: string | null;
};

/**
 * Parks a running execution as waiting. A review its node raised may already have been
 * decided (after the review was stored, before this transaction): that decision found no
 * waiting execution, so it is delivered here instead, and the execution goes straight back
 * on the queue.
 */
export async function parkExecution(deps: EngineDeps, tx: Tx, at: At) {
  await repo.finishExecution(tx, at.orgId, at.executionId, { status: "waiting" });
  for (const reviewId of await repo.reviewWaits(tx, at.orgId, at.executionId)) {
    const review = (await findReview(tx, at.orgId, reviewId))?.row;
    if (review?.status === "approved" || review?.status === "rejected") {
      await resumeReviewWaitInTx(deps, tx, at, { ...review, status: review.status });
    }
  }
}

/**
 * A signal for an execution waiting for an event (a wait-for-event node) with `key`: the
 * step continues on "event" with the payload as its output. A review's wait is refused here:
 * only a decision on the review (or its expiry) ends it.
 */
export async function deliverSignal(
  deps: EngineDeps,
  at: At,
  key: string,
  payload: unknown,
): Promise<boolean> {
  if (isReviewWaitKey(key)) {
    throw new AppError(
      "BAD_REQUEST",
      `key: "${key}" is a review's wait, which only a decision on the review ends (reviews.decide)`,
      { field: "key" },
    );
  }
  const outcome = { status: "succeeded", port: "event", output: payload ?? {} } as const;
  return withTenant(deps.db, at.orgId, (tx) => resume(deps, tx, at, { waitKey: key }, outcome));
}

/** The wait's timeout job: continue on the wait's timeout port, or fail when it has none. */
export function expireWait(deps: EngineDeps, job: At & { nodeId: string }) {
  return withTenant(deps.db, job.orgId, async (tx) => {
    const [step] = await tx
      .select({ timeoutPort: executionStep.timeoutPort, waitKey: executionStep.waitKey })
      .from(executionStep)
      .where(
        and(
          eq(executionStep.organizationId, job.orgId),
          eq(executionStep.executionId, job.executionId),
          eq(executionStep.nodeId, job.nodeId),
          eq(executionStep.status, "waiting"),
        ),
      );
    if (!step) return false; // the event came first
    const outcome: Resolution = step.timeoutPort
      ? { status: "succeeded", port: step.timeoutPort, output: { timedOut: true } }
      : { status: "failed", error: "timed out waiting for the event" };
    const resumed = await resume(deps, tx, job, { nodeId: job.nodeId }, outcome);
    // a review node's wait ends with its review: nobody decided in time
    const reviewId = reviewIdOfWaitKey(step.waitKey);
    if (resumed && reviewId) {
      await recordReviewExpiry(tx, deps.webhooks, { ...job, reviewId });
    }
    return resumed;
  });
}
