import { withTenant } from "../../../db/tenant.ts";
import { HEARTBEAT_SECONDS, type JobQueue } from "../../../jobs/queue.ts";
import { expireReview, REVIEW_EXPIRE_QUEUE, type ReviewExpireJob } from "../../reviews/expiry.ts";
import { startExpressionWorkers } from "../expressions.ts";
import { advanceExecution } from "./advance.ts";
import type { EngineDeps, EngineJob } from "./deps.ts";
import { expireWait } from "./events.ts";
import { leaseMs } from "./lease.ts";
import { reclaimExpiredLeases } from "./repo.ts";
import { startScheduledExecution } from "./schedules.ts";

export const ENGINE_QUEUES = [
  "execution.advance",
  "execution.wait-timeout",
  "workflow.schedule",
  REVIEW_EXPIRE_QUEUE,
];

/**
 * Redelivery of an advance job whose worker died: after this long it is handed out again. An
 * execution does not wait for it: the lease sweep resumes it once its lease expired.
 */
const EXPIRE_SECONDS = 15 * 60;
/**
 * The other jobs (a wait's timeout, which also expires a review node's review) are one short
 * transaction and have no lease: one still active after this, or whose heartbeat stopped,
 * belongs to a worker that died.
 */
const SHORT_JOB_EXPIRE_SECONDS = 30;

/** The engine's enqueue, on the job queue: in the caller's transaction when one is given. */
export function queueEnqueue(queue: JobQueue): EngineDeps["enqueue"] {
  return async (job: EngineJob, options = {}) => {
    const sendOptions = {
      retryLimit: 3,
      retryDelay: 5,
      ...(job.name === "execution.advance"
        ? { expireInSeconds: EXPIRE_SECONDS }
        : {
            expireInSeconds: SHORT_JOB_EXPIRE_SECONDS,
            heartbeatSeconds: HEARTBEAT_SECONDS,
            retryDelay: 1,
            retryBackoff: true,
          }),
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    };
    if (options.tx) await queue.sendInTransaction(options.tx, job.name, job.data, sendOptions);
    else await queue.send(job.name, job.data, sendOptions);
  };
}

export interface EngineWorkerOptions {
  /** Advance jobs run at once in this process. */
  concurrency?: number;
  /**
   * No other process can open this database (the embedded one, under its lock): an execution
   * found running at start was its dead predecessor's, and resumes now rather than once its
   * lease runs out.
   */
  soleProcess?: boolean;
}

/** Starts this process's share of the work; several processes may run workers on one database. */
export async function startEngineWorkers(
  deps: EngineDeps,
  queue: JobQueue,
  { concurrency = 4, soleProcess = false }: EngineWorkerOptions = {},
) {
  // Expression workers start now, not while an execution waits for its first one.
  startExpressionWorkers(deps.expressionWorkers);
  type Data<N extends EngineJob["name"]> = Extract<EngineJob, { name: N }>["data"];
  await queue.work<Data<"execution.advance">>(
    "execution.advance",
    { batchSize: 8, localConcurrency: concurrency, pollingIntervalSeconds: 0.5 },
    async (jobs) => {
      await Promise.all(jobs.map((job) => advanceExecution(deps, job.data)));
    },
  );
  await queue.work<Data<"execution.wait-timeout">>(
    "execution.wait-timeout",
    { pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) await expireWait(deps, job.data);
    },
  );
  await queue.work<{ orgId: string; workflowId: string }>(
    "workflow.schedule",
    { pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs)
        await withTenant(deps.db, job.data.orgId, (tx) =>
          startScheduledExecution(deps, tx, job.data),
        );
    },
  );
  if (soleProcess) await reclaimExecutions(deps, { unexpiredToo: true });
  // Executions whose worker died resume seconds after their lease expired.
  queue.every(leaseMs(deps) / 4 / 1000, () => reclaimExecutions(deps));
  await queue.work<ReviewExpireJob>(
    REVIEW_EXPIRE_QUEUE,
    { pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) await expireReview(deps, job.data);
    },
  );
}

/** Puts back in the queue the executions whose lease expired: their worker died. */
async function reclaimExecutions(deps: EngineDeps, options?: { unexpiredToo: boolean }) {
  const reclaimed = await deps.db.transaction(async (tx) => {
    const rows = await reclaimExpiredLeases(tx, options);
    for (const data of rows) await deps.enqueue({ name: "execution.advance", data }, { tx });
    return rows;
  });
  if (reclaimed.length > 0) {
    const executionIds = reclaimed.map((row) => row.executionId);
    deps.logger.warn({ executionIds }, "resuming executions whose worker stopped");
  }
}
