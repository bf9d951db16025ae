import type { RetentionDefaults } from "../config/executions.ts";
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { pruneIdempotencyKeys } from "../modules/api-keys/idempotency.ts";
import { pruneExecutions } from "../modules/workflows/retention/prune.ts";
import type { JobQueue } from "./queue.ts";

/** Housekeeping that belongs to no organization, run hourly by whichever worker is free. */
export const MAINTENANCE_QUEUE = "maintenance.hourly";

export async function startMaintenance(
  deps: { db: Db; logger: Logger; retention: RetentionDefaults },
  queue: JobQueue,
): Promise<void> {
  // one schedule per instance, whatever the number of workers (pg-boss keys it by name and key)
  await queue.scheduleInTransaction(
    deps.db,
    MAINTENANCE_QUEUE,
    "17 * * * *",
    {},
    { key: "hourly" },
  );
  await queue.work(MAINTENANCE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    const idempotencyKeys = await pruneIdempotencyKeys(deps.db);
    // finished queue jobs are pg-boss's own maintenance (deleteAfterSeconds, src/jobs/queue.ts)
    const executions = await pruneExecutions(deps.db, deps.retention);
    deps.logger.info({ idempotencyKeys, executions }, "maintenance: pruned expired records");
  });
}
