import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import { type AuditContext, recordAudit } from "../audit/record.ts";
import type { AttemptResult } from "./deliver.ts";
import * as repo from "./delivery-repo.ts";
import { WEBHOOK_DELIVER_QUEUE, type WebhookDeliverJob } from "./jobs.ts";
import { type AttemptTrigger, judgeAttempt } from "./outcome.ts";

/** A delivery job; `attempt` is its place in the retry schedule (absent on the first job = 1). */
export interface ScheduledDeliverJob extends WebhookDeliverJob {
  attempt?: number;
}

export interface FinishedAttempt {
  deliveryId: string;
  endpointId: string;
  trigger: AttemptTrigger;
  /** For scheduled attempts: the schedule position this attempt was for. */
  scheduledAttempt: number;
  endpointFailingSince: Date | null;
  result: AttemptResult;
}

export interface RecordDeps {
  queue: Pick<JobQueue, "sendInTransaction">;
  /** Options of every follow-up job (expiry just above the HTTP timeout). */
  jobOptions: { expireInSeconds: number; retryLimit: number; retryDelay: number };
  random?: () => number;
}

export interface RecordedAttempt {
  id: string;
  deliveryId: string;
  attempt: number;
}

/**
 * Persists a batch of attempts of one organization in the caller's tenant transaction:
 * attempt rows, delivery state, endpoint health, system disables (audited) and the next
 * scheduled jobs. The delivery rows are locked first, and a scheduled attempt whose place in
 * the schedule is already taken (the job ran twice: its worker died after sending) or whose
 * delivery is no longer pending is dropped, so a re-run never schedules twice.
 */
export async function recordAttempts(
  tx: Tx,
  deps: RecordDeps,
  audit: AuditContext,
  finished: FinishedAttempt[],
): Promise<RecordedAttempt[]> {
  if (finished.length === 0) return [];
  const orgId = audit.orgId;
  const ids = [...new Set(finished.map((f) => f.deliveryId))];
  const current = new Map((await repo.lockDeliveries(tx, orgId, ids)).map((d) => [d.id, d]));

  const attempts: repo.NewAttempt[] = [];
  const updates = new Map<string, repo.DeliveryUpdate>();
  const healthy = new Set<string>();
  const failing = new Map<string, Date>();
  const disables = new Map<string, { reason: string; at: Date; deliveryId: string }>();
  const followUps: { deliveryId: string; attempt: number; at: Date }[] = [];

  for (const f of finished) {
    const state = current.get(f.deliveryId);
    if (!state) continue; // deleted with its endpoint meanwhile
    if (
      f.trigger === "scheduled" &&
      (state.status !== "pending" || state.scheduled >= f.scheduledAttempt)
    ) {
      continue;
    }
    const verdict = judgeAttempt({
      result: f.result,
      trigger: f.trigger,
      scheduledAttempt: f.scheduledAttempt,
      deliveryStatus: state.status,
      deliveryNextAttemptAt: state.nextAttemptAt,
      endpointFailingSince: f.endpointFailingSince,
      ...(deps.random ? { random: deps.random } : {}),
    });
    const number = state.attempts + 1;
    const scheduledNext = f.trigger === "scheduled" ? verdict.nextAttemptAt : null;
    attempts.push({
      id: randomUUID(),
      deliveryId: f.deliveryId,
      attempt: number,
      trigger: f.trigger,
      result: f.result,
      nextAttemptAt: scheduledNext,
    });
    Object.assign(state, {
      attempts: number,
      status: verdict.status,
      nextAttemptAt: verdict.nextAttemptAt,
      scheduled: state.scheduled + (f.trigger === "scheduled" ? 1 : 0),
    });
    updates.set(f.deliveryId, {
      id: f.deliveryId,
      status: verdict.status,
      attempts: number,
      nextAttemptAt: verdict.nextAttemptAt,
      lastResponseStatus: f.result.responseStatus,
    });
    if (verdict.endpointHealth === "ok") {
      healthy.add(f.endpointId);
      failing.delete(f.endpointId);
    } else if (verdict.endpointHealth === "failing") {
      healthy.delete(f.endpointId);
      failing.set(f.endpointId, f.result.requestedAt);
    }
    if (verdict.disableReason && !disables.has(f.endpointId)) {
      disables.set(f.endpointId, {
        reason: verdict.disableReason,
        at: f.result.requestedAt,
        deliveryId: f.deliveryId,
      });
    }
    if (scheduledNext) {
      followUps.push({
        deliveryId: f.deliveryId,
        attempt: f.scheduledAttempt + 1,
        at: scheduledNext,
      });
    }
  }

  await repo.insertAttempts(tx, orgId, attempts);
  await repo.updateDeliveries(tx, orgId, [...updates.values()]);
  await repo.markEndpointsHealthy(tx, orgId, [...healthy]);
  if (failing.size > 0) {
    const since = new Date(Math.min(...[...failing.values()].map((d) => d.getTime())));
    await repo.markEndpointsFailing(tx, orgId, [...failing.keys()], since);
  }
  for (const [endpointId, disable] of disables) {
    if (!(await repo.disableEndpoint(tx, orgId, endpointId, disable.reason, disable.at))) continue;
    await recordAudit(tx, audit, {
      action: "webhook.disabled",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      metadata: { reason: disable.reason, deliveryId: disable.deliveryId },
    });
  }
  for (const next of followUps) {
    const data: ScheduledDeliverJob = { orgId, deliveryId: next.deliveryId, attempt: next.attempt };
    await deps.queue.sendInTransaction(tx, WEBHOOK_DELIVER_QUEUE, data, {
      ...deps.jobOptions,
      startAfter: next.at,
    });
  }
  return attempts.map(({ id, deliveryId, attempt }) => ({ id, deliveryId, attempt }));
}
