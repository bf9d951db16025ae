import type { Queryable } from "../../db/client.ts";
import { HEARTBEAT_SECONDS, type JobQueue } from "../../jobs/queue.ts";
import { DEFAULT_DELIVERY_TIMEOUT_MS } from "./deliver.ts";

/**
 * The queue contract between event emission (events.ts) and delivery (the webhook worker).
 * One job per `webhook_delivery` row; the job carries ids only — the worker reads the payload,
 * the endpoint and its secret(s) from the database.
 */
export const WEBHOOK_DELIVER_QUEUE = "webhook.deliver";

export interface WebhookDeliverJob {
  orgId: string;
  /** `webhook_delivery.id`, also the `webhook-id` header. */
  deliveryId: string;
}

/** Queues created at boot, so events can enqueue inside the caller's transaction at once. */
export const WEBHOOK_QUEUES = [WEBHOOK_DELIVER_QUEUE];

/** What emitting an event needs from the queue: enqueueing inside an open transaction. */
export type WebhookQueue = Pick<JobQueue, "sendInTransaction">;

/**
 * Options of every delivery job. Its heartbeat stops with its worker, and the job is handed
 * out again one sweep later; the expiry only bounds a live attempt, so it exceeds the HTTP
 * timeout (the call gives up well before) plus the two transactions around it.
 */
export function deliverJobOptions(timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS) {
  return {
    expireInSeconds: Math.ceil(timeoutMs / 1000) + 10,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    // a dead worker's job comes back at once; a failing handler (the database) backs off
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
  };
}

/** Enqueues the first attempt of a delivery inside `tx`. */
export function sendDeliverJob(queue: WebhookQueue, tx: Queryable, job: WebhookDeliverJob) {
  return queue.sendInTransaction(tx, WEBHOOK_DELIVER_QUEUE, job, deliverJobOptions());
}
