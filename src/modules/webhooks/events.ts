import { randomBytes } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { webhookDelivery, webhookEndpoint } from "../../db/schema/index.ts";
import { sendDeliverJob, type WebhookQueue } from "./jobs.ts";

export const WEBHOOK_EVENT_TYPES = [
  "review.created",
  "review.approved",
  "review.rejected",
  "review.expired",
  "review.link_used",
  "webhook.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What receivers get as the body: small, ids and a few fields (they fetch the rest by API). */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO 8601, when the event happened. */
  timestamp: string;
  data: Record<string, string | number | boolean | null>;
}

export interface WebhookEvent {
  orgId: string;
  type: WebhookEventType;
  data: WebhookPayload["data"];
}

/**
 * A delivery id, also the `webhook-id` header: time-ordered (milliseconds in base 36) then
 * 96 random bits, and never a dot (Standard Webhooks signs `id.timestamp.body`).
 */
export const newDeliveryId = () =>
  `msg_${Date.now().toString(36).padStart(9, "0")}${randomBytes(12).toString("hex")}`;

/**
 * Records the event for every enabled endpoint of the organization subscribed to its type
 * (or for `endpointId` alone, whatever it subscribes to: a test event), and enqueues one
 * delivery job each — all in the caller's transaction, so an event exists exactly when the
 * change that caused it commits. Returns the delivery ids.
 */
export async function emitWebhookEvent(
  tx: Tx,
  queue: WebhookQueue,
  event: WebhookEvent,
  options: { endpointId?: string } = {},
): Promise<string[]> {
  const endpoints = await tx
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(
      and(
        eq(webhookEndpoint.organizationId, event.orgId),
        eq(webhookEndpoint.enabled, true),
        options.endpointId
          ? eq(webhookEndpoint.id, options.endpointId)
          : arrayContains(webhookEndpoint.eventTypes, [event.type]),
      ),
    );
  if (endpoints.length === 0) return [];
  const payload: WebhookPayload = {
    type: event.type,
    timestamp: new Date().toISOString(),
    data: event.data,
  };
  const rows = endpoints.map((endpoint) => ({
    id: newDeliveryId(),
    organizationId: event.orgId,
    endpointId: endpoint.id,
    eventType: event.type,
    payload,
  }));
  await tx.insert(webhookDelivery).values(rows);
  for (const row of rows)
    await sendDeliverJob(queue, tx, { orgId: event.orgId, deliveryId: row.id });
  return rows.map((row) => row.id);
}
