import { and, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { webhookAttempt, webhookDelivery, webhookEndpoint } from "../../db/schema/index.ts";
import type { AttemptResult } from "./deliver.ts";
import type { AttemptTrigger, DeliveryStatus } from "./outcome.ts";

/** Attempts of the scheduled chain already recorded: the idempotency guard of a delivery job. */
// Plain SQL on purpose: drizzle drops table qualifiers in single-table selects, which would
// make "delivery_id = id" compare the attempt with itself.
const scheduledCount = sql<number>`(
  select count(*)::int from webhook_attempt a
  where a.organization_id = webhook_delivery.organization_id
    and a.delivery_id = webhook_delivery.id
    and a.trigger = 'scheduled'
)`.mapWith(Number);

/** Everything one attempt needs, for a batch of deliveries (one round trip). */
export function loadForSending(tx: Tx, orgId: string, deliveryIds: string[]) {
  return tx
    .select({
      id: webhookDelivery.id,
      endpointId: webhookDelivery.endpointId,
      status: webhookDelivery.status,
      nextAttemptAt: webhookDelivery.nextAttemptAt,
      scheduled: scheduledCount,
      // jsonb's own text: the same bytes on every attempt, no parse/stringify round trip
      body: sql<string>`${webhookDelivery.payload}::text`,
      url: webhookEndpoint.url,
      enabled: webhookEndpoint.enabled,
      disabledReason: webhookEndpoint.disabledReason,
      secretEnvelope: webhookEndpoint.secretEnvelope,
      previousSecretEnvelope: webhookEndpoint.previousSecretEnvelope,
      previousSecretExpiresAt: webhookEndpoint.previousSecretExpiresAt,
      failingSince: webhookEndpoint.failingSince,
    })
    .from(webhookDelivery)
    .innerJoin(
      webhookEndpoint,
      and(
        eq(webhookEndpoint.organizationId, webhookDelivery.organizationId),
        eq(webhookEndpoint.id, webhookDelivery.endpointId),
      ),
    )
    .where(
      and(eq(webhookDelivery.organizationId, orgId), inArray(webhookDelivery.id, deliveryIds)),
    );
}

export type SendingRow = Awaited<ReturnType<typeof loadForSending>>[number];

/**
 * Locks the deliveries about to be updated and returns their current state. The scheduled
 * count is read by a second statement on purpose: under READ COMMITTED a statement that
 * waited for a row lock re-reads the row but keeps its old snapshot for subqueries, so a
 * count inside it would miss the attempt the lock holder just committed.
 */
export async function lockDeliveries(tx: Tx, orgId: string, deliveryIds: string[]) {
  const rows = await tx
    .select({
      id: webhookDelivery.id,
      status: webhookDelivery.status,
      attempts: webhookDelivery.attempts,
      nextAttemptAt: webhookDelivery.nextAttemptAt,
    })
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.organizationId, orgId), inArray(webhookDelivery.id, deliveryIds)))
    .orderBy(webhookDelivery.id) // one lock order for every batch: no deadlocks between them
    .for("update");
  const counts = await tx
    .select({ deliveryId: webhookAttempt.deliveryId, scheduled: count() })
    .from(webhookAttempt)
    .where(
      and(
        eq(webhookAttempt.organizationId, orgId),
        inArray(webhookAttempt.deliveryId, deliveryIds),
        eq(webhookAttempt.trigger, "scheduled"),
      ),
    )
    .groupBy(webhookAttempt.deliveryId);
  const scheduled = new Map(counts.map((c) => [c.deliveryId, c.scheduled]));
  return rows.map((row) => ({ ...row, scheduled: scheduled.get(row.id) ?? 0 }));
}

export interface NewAttempt {
  id: string;
  deliveryId: string;
  attempt: number;
  trigger: AttemptTrigger;
  result: AttemptResult;
  nextAttemptAt: Date | null;
}

export async function insertAttempts(tx: Tx, orgId: string, attempts: NewAttempt[]) {
  if (attempts.length === 0) return;
  await tx.insert(webhookAttempt).values(
    attempts.map(({ id, deliveryId, attempt, trigger, result, nextAttemptAt }) => ({
      id,
      organizationId: orgId,
      deliveryId,
      attempt,
      trigger,
      url: result.url,
      requestedAt: result.requestedAt,
      durationMs: result.durationMs,
      responseStatus: result.responseStatus,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      errorKind: result.errorKind,
      error: result.error,
      nextAttemptAt,
    })),
  );
}

export interface DeliveryUpdate {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponseStatus: number | null;
}

/** Every delivery of the batch in one statement (a JSON parameter works on both drivers). */
export async function updateDeliveries(tx: Tx, orgId: string, updates: DeliveryUpdate[]) {
  if (updates.length === 0) return;
  const rows = JSON.stringify(updates);
  await tx.execute(sql`
    update ${webhookDelivery} as d set
      status = v.status::webhook_delivery_status,
      attempts = v.attempts,
      next_attempt_at = v."nextAttemptAt",
      last_response_status = v."lastResponseStatus",
      updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb)
      as v(id text, status text, attempts int, "nextAttemptAt" timestamptz, "lastResponseStatus" int)
    where d.organization_id = ${orgId} and d.id = v.id`);
}

/** Success clears the failing run; only rows that change are written (no hot-row churn). */
export async function markEndpointsHealthy(tx: Tx, orgId: string, endpointIds: string[]) {
  if (endpointIds.length === 0) return;
  await tx
    .update(webhookEndpoint)
    .set({ failingSince: null })
    .where(
      and(
        eq(webhookEndpoint.organizationId, orgId),
        inArray(webhookEndpoint.id, endpointIds),
        isNotNull(webhookEndpoint.failingSince),
      ),
    );
}

/** Starts a failing run where none is running. */
export async function markEndpointsFailing(
  tx: Tx,
  orgId: string,
  endpointIds: string[],
  since: Date,
) {
  if (endpointIds.length === 0) return;
  await tx
    .update(webhookEndpoint)
    .set({ failingSince: since })
    .where(
      and(
        eq(webhookEndpoint.organizationId, orgId),
        inArray(webhookEndpoint.id, endpointIds),
        isNull(webhookEndpoint.failingSince),
      ),
    );
}

/** Disables an enabled endpoint; true only for the call that did it (so one audit event). */
export async function disableEndpoint(
  tx: Tx,
  orgId: string,
  endpointId: string,
  reason: string,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .update(webhookEndpoint)
    .set({ enabled: false, disabledReason: reason, disabledAt: at, updatedAt: at })
    .where(
      and(
        eq(webhookEndpoint.organizationId, orgId),
        eq(webhookEndpoint.id, endpointId),
        eq(webhookEndpoint.enabled, true),
      ),
    )
    .returning({ id: webhookEndpoint.id });
  return rows.length > 0;
}

/** What a listing shows of a delivery (the payload and attempts are on the detail). */
const deliverySummary = {
  id: webhookDelivery.id,
  endpointId: webhookDelivery.endpointId,
  eventType: webhookDelivery.eventType,
  status: webhookDelivery.status,
  attempts: webhookDelivery.attempts,
  nextAttemptAt: webhookDelivery.nextAttemptAt,
  lastResponseStatus: webhookDelivery.lastResponseStatus,
  createdAt: webhookDelivery.createdAt,
  updatedAt: webhookDelivery.updatedAt,
};

/** Where a delivery sits in the newest-first order: exact UTC creation time and id. */
export interface DeliveryPosition {
  at: string;
  id: string;
}

const positionAt = sql<string>`to_char(${webhookDelivery.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An endpoint's deliveries, newest first (ties by id), optionally after a position. */
export function listDeliveries(
  tx: Tx,
  orgId: string,
  filter: {
    endpointId: string;
    status?: DeliveryStatus | undefined;
    limit: number;
    after?: DeliveryPosition | undefined;
  },
) {
  const { endpointId, status, limit, after } = filter;
  return tx
    .select({ ...deliverySummary, position: { at: positionAt, id: webhookDelivery.id } })
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.organizationId, orgId),
        eq(webhookDelivery.endpointId, endpointId),
        status ? eq(webhookDelivery.status, status) : undefined,
        after
          ? sql`(${webhookDelivery.createdAt}, ${webhookDelivery.id}) < (${after.at}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(webhookDelivery.createdAt), desc(webhookDelivery.id))
    .limit(limit);
}

export async function findDelivery(tx: Tx, orgId: string, endpointId: string, id: string) {
  const [row] = await tx
    .select({ ...deliverySummary, payload: webhookDelivery.payload })
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.organizationId, orgId),
        eq(webhookDelivery.endpointId, endpointId),
        eq(webhookDelivery.id, id),
      ),
    );
  return row;
}

/** Every attempt of a delivery, oldest first. */
export function listAttempts(tx: Tx, orgId: string, deliveryId: string) {
  return tx
    .select({
      id: webhookAttempt.id,
      attempt: webhookAttempt.attempt,
      trigger: webhookAttempt.trigger,
      url: webhookAttempt.url,
      requestedAt: webhookAttempt.requestedAt,
      durationMs: webhookAttempt.durationMs,
      responseStatus: webhookAttempt.responseStatus,
      responseHeaders: webhookAttempt.responseHeaders,
      responseBody: webhookAttempt.responseBody,
      errorKind: webhookAttempt.errorKind,
      error: webhookAttempt.error,
      nextAttemptAt: webhookAttempt.nextAttemptAt,
    })
    .from(webhookAttempt)
    .where(and(eq(webhookAttempt.organizationId, orgId), eq(webhookAttempt.deliveryId, deliveryId)))
    .orderBy(webhookAttempt.attempt);
}

export type AttemptView = Awaited<ReturnType<typeof listAttempts>>[number];
