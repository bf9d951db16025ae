import { createAuth } from "../auth/auth.ts";
import type { Config } from "../config/config.ts";
import { defaultBacklogLimits, defaultRetention } from "../config/executions.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { MAINTENANCE_QUEUE } from "../jobs/maintenance.ts";
import { createQueue } from "../jobs/queue.ts";
import type { Logger } from "../lib/logger.ts";
import { createMailer } from "../lib/mailer.ts";
import { createLastUsedRecorder } from "../modules/api-keys/last-used.ts";
import { announceKeyring } from "../modules/vault/presence.ts";
import { WEBHOOK_QUEUES } from "../modules/webhooks/jobs.ts";
import { createBacklogGate } from "../modules/workflows/backlog.ts";
import { ENGINE_QUEUES, queueEnqueue } from "../modules/workflows/engine/worker.ts";
import { stopExpressionWorkers } from "../modules/workflows/expressions.ts";
import { createOutbound } from "../net/outbound.ts";
import type { AppDeps } from "./deps.ts";

/** Opens the database (applying migrations) and wires the collaborators together. */
export async function bootstrap(
  config: Config,
  logger: Logger,
  database?: Database,
): Promise<AppDeps> {
  const db =
    database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await runMigrations(db);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const auth = createAuth({ config, db: db.db, mailer, logger });
  const outbound = createOutbound({ allow: config.outboundAllow });
  const queue = await createQueue(db, {
    onError: (error) => logger.error({ err: error }, "job queue error"),
    queues: [...ENGINE_QUEUES, ...WEBHOOK_QUEUES, MAINTENANCE_QUEUE],
    finishedJobsSeconds: (config.retention ?? defaultRetention).finishedJobsHours * 3600,
  });
  const engine = {
    db: db.db,
    keyring: config.keyring,
    outbound,
    mailer,
    logger,
    enqueue: queueEnqueue(queue),
    backlog: createBacklogGate(db.db, config.backlog ?? defaultBacklogLimits),
    schedules: queue,
    webhooks: queue,
    orgConcurrency: config.orgConcurrency,
    expressionWorkers: config.expressionWorkers,
    baseUrl: config.baseUrl,
    reviewMaxSeconds: config.reviewMaxSeconds,
  };
  return {
    config,
    database: db,
    auth,
    mailer,
    logger,
    keyring: config.keyring,
    keyringPresence: await announceKeyring(db.db, config.keyring, logger),
    outbound,
    queue,
    engine,
    apiKeyUsage: createLastUsedRecorder(db.db, { logger }),
  };
}

export async function shutdown(deps: AppDeps): Promise<void> {
  await deps.queue.stop({ graceful: true, timeoutMs: 10_000 });
  stopExpressionWorkers();
  deps.mailer.close();
  await deps.apiKeyUsage.stop();
  await deps.keyringPresence.stop();
  await deps.database.close();
}
