import { and, eq } from "drizzle-orm";
import type { Tx } from "../../../db/client.ts";
import { executionStep } from "../../../db/schema/index.ts";
import { withTenant } from "../../../db/tenant.ts";
import { recordReviewExpiry } from "../../reviews/expiry.ts";
import type { EngineDeps } from "./deps.ts";
import * as repo from "./repo.ts";

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
 * An event for a waiting execution, inside the caller's transaction: the step waiting on
 * `key` continues on `port` with the payload as its output.
 */
export function deliverEventInTx(
  deps: EngineDeps,
  tx: Tx,
  at: At,
  key: string,
  payload: unknown,
  port = "event",
) {
  return resume(
    deps,
    tx,
    at,
    { waitKey: key },
    { status: "succeeded", port, output: payload ?? {} },
  );
}

/** An event for a waiting execution (see deliverEventInTx), in a transaction of its own. */
export function deliverEvent(
  deps: EngineDeps,
  at: At,
  key: string,
  payload: unknown,
): Promise<boolean> {
  return withTenant(deps.db, at.orgId, (tx) => deliverEventInTx(deps, tx, at, key, payload));
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
    const reviewId = step.waitKey?.startsWith("review:") ? step.waitKey.slice(7) : undefined;
    if (resumed && reviewId) {
      await recordReviewExpiry(tx, deps.webhooks, { ...job, reviewId });
    }
    return resumed;
  });
}
