import { and, eq } from "drizzle-orm";
import type { Tx } from "../../../db/client.ts";
import { executionStep } from "../../../db/schema/index.ts";
import { withTenant } from "../../../db/tenant.ts";
import type { EngineDeps } from "./deps.ts";
import * as repo from "./repo.ts";

type Resolution = Parameters<typeof repo.resolveWait>[4];

/** Nothing waits on that key any more: thrown to roll the transaction back. */
class StaleEvent extends Error {}

const unlessStale = (promise: Promise<boolean>) =>
  promise.catch((error: unknown) => {
    if (error instanceof StaleEvent) return false;
    throw error;
  });

/** Resolves a waiting step and puts the execution back on the queue, in one transaction. */
async function resume(
  deps: EngineDeps,
  tx: Tx,
  at: { orgId: string; executionId: string },
  match: Parameters<typeof repo.resolveWait>[3],
  outcome: Resolution,
) {
  // A cancelled (or not yet parked) execution takes no event; then nothing changes.
  if (!(await repo.requeueWaiting(tx, at.orgId, at.executionId))) return false;
  const step = await repo.resolveWait(tx, at.orgId, at.executionId, match, outcome);
  if (!step) throw new StaleEvent();
  await deps.enqueue({ name: "execution.advance", data: at }, { tx });
  return true;
}

/**
 * An event for a waiting execution: the step waiting on `key` continues on its "event" port
 * with the payload as output. False when nothing waits on that key (already resolved).
 */
export function deliverEvent(
  deps: EngineDeps,
  at: { orgId: string; executionId: string },
  key: string,
  payload: unknown,
): Promise<boolean> {
  return withTenant(deps.db, at.orgId, (tx) =>
    resume(
      deps,
      tx,
      at,
      { waitKey: key },
      { status: "succeeded", port: "event", output: payload ?? {} },
    ),
  );
}

/** The wait's timeout job: continue on the "timeout" port, or fail, as the node asked. */
export function expireWait(
  deps: EngineDeps,
  job: { orgId: string; executionId: string; nodeId: string },
) {
  return unlessStale(
    withTenant(deps.db, job.orgId, async (tx) => {
      const [step] = await tx
        .select({ input: executionStep.input, waitUntil: executionStep.waitUntil })
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
      const fail = (step.input as { onTimeout?: string } | null)?.onTimeout === "fail";
      const outcome: Resolution = fail
        ? { status: "failed", error: "timed out waiting for the event" }
        : { status: "succeeded", port: "timeout", output: { timedOut: true } };
      return resume(deps, tx, job, { nodeId: job.nodeId }, outcome);
    }),
  );
}
