import { withTenant } from "../../db/tenant.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import type { AuditContext } from "../audit/record.ts";
import { attemptDelivery, timeoutOf, type WebhookDeliveryDeps } from "./attempt.ts";
import { loadForSending, type SendingRow } from "./delivery-repo.ts";
import { deliverJobOptions, WEBHOOK_DELIVER_QUEUE } from "./jobs.ts";
import { type FinishedAttempt, recordAttempts, type ScheduledDeliverJob } from "./record.ts";

/** The delivery system acts as itself in the audit trail (e.g. when it disables an endpoint). */
export function systemAudit(orgId: string, deliveryId: string): AuditContext {
  return {
    orgId,
    meta: { requestId: `webhook-delivery:${deliveryId}`, ip: undefined, userAgent: undefined },
    actor: { kind: "system", reason: "webhook delivery" },
  };
}

/**
 * Handles a batch of delivery jobs: per organization, one tenant transaction reads what is
 * due, the HTTP calls run outside any transaction (in parallel), and one more transaction
 * records every attempt and schedules what comes next.
 */
export async function deliverJobs(
  deps: WebhookDeliveryDeps,
  jobs: readonly ScheduledDeliverJob[],
): Promise<void> {
  const byOrg = new Map<string, ScheduledDeliverJob[]>();
  for (const job of jobs) byOrg.set(job.orgId, [...(byOrg.get(job.orgId) ?? []), job]);
  await Promise.all([...byOrg].map(([orgId, orgJobs]) => deliverForOrg(deps, orgId, orgJobs)));
}

async function deliverForOrg(
  deps: WebhookDeliveryDeps,
  orgId: string,
  jobs: ScheduledDeliverJob[],
): Promise<void> {
  const ids = [...new Set(jobs.map((j) => j.deliveryId))];
  const rows = await withTenant(deps.db, orgId, (tx) => loadForSending(tx, orgId, ids));
  const due = dueAttempts(jobs, new Map(rows.map((r) => [r.id, r])));
  if (due.length === 0) return;

  const now = deps.now ?? (() => new Date());
  const finished: FinishedAttempt[] = await Promise.all(
    due.map(async ({ row, attempt }) => ({
      deliveryId: row.id,
      endpointId: row.endpointId,
      trigger: "scheduled" as const,
      scheduledAttempt: attempt,
      endpointFailingSince: row.failingSince,
      result: await attemptDelivery(deps, orgId, row, now()),
    })),
  );
  for (const f of finished) {
    if (f.result.errorKind || (f.result.responseStatus ?? 0) >= 300) {
      deps.logger.info(
        {
          deliveryId: f.deliveryId,
          endpointId: f.endpointId,
          attempt: f.scheduledAttempt,
          status: f.result.responseStatus,
          errorKind: f.result.errorKind,
        },
        "webhook delivery attempt failed",
      );
    }
  }
  const recordDeps = {
    queue: deps.queue,
    jobOptions: deliverJobOptions(timeoutOf(deps)),
    ...(deps.random ? { random: deps.random } : {}),
  };
  const audit = systemAudit(orgId, finished[0]?.deliveryId ?? "");
  await withTenant(deps.db, orgId, (tx) => recordAttempts(tx, recordDeps, audit, finished));
}

/**
 * The jobs that still have work: the delivery exists and is pending, and the job's place in
 * the schedule is the next one (a re-run after a crash finds it taken and does nothing).
 */
function dueAttempts(jobs: ScheduledDeliverJob[], rows: Map<string, SendingRow>) {
  const due: { row: SendingRow; attempt: number }[] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    const row = rows.get(job.deliveryId);
    const attempt = job.attempt ?? 1;
    if (!row || seen.has(row.id) || row.status !== "pending" || row.scheduled !== attempt - 1) {
      continue;
    }
    seen.add(row.id);
    due.push({ row, attempt });
  }
  return due;
}

export interface WebhookWorkerOptions {
  /** Jobs fetched at once; their HTTP calls run in parallel. */
  batchSize?: number;
  /** Fetch loops in this process. */
  concurrency?: number;
}

/** The delivery deps of a running instance (real clock, 15 s timeout). */
export function instanceDeliveryDeps(app: {
  database: { db: WebhookDeliveryDeps["db"] };
  keyring: WebhookDeliveryDeps["keyring"];
  outbound: WebhookDeliveryDeps["outbound"];
  logger: WebhookDeliveryDeps["logger"];
  queue: WebhookDeliveryDeps["queue"];
}): WebhookDeliveryDeps {
  const { database, keyring, outbound, logger, queue } = app;
  return { db: database.db, keyring, outbound, logger, queue };
}

/** Starts this process's delivery workers; several processes may share one database. */
export async function startWebhookWorker(
  deps: WebhookDeliveryDeps,
  queue: JobQueue,
  { batchSize = 50, concurrency = 4 }: WebhookWorkerOptions = {},
): Promise<void> {
  await queue.work<ScheduledDeliverJob>(
    WEBHOOK_DELIVER_QUEUE,
    { batchSize, localConcurrency: concurrency, pollingIntervalSeconds: 0.5 },
    async (jobs) => {
      try {
        await deliverJobs(
          deps,
          jobs.map((job) => job.data),
        );
      } catch (error) {
        deps.logger.error({ err: error }, "webhook delivery batch failed; it will be retried");
        throw error;
      }
    },
  );
}
