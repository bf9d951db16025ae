import type { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { OrgContext } from "../../access/context.ts";
import { withTenant } from "../../db/tenant.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { decodeCursor, encodeCursor } from "../reviews/cursor.ts";
import { attemptDelivery, timeoutOf, type WebhookDeliveryDeps } from "./attempt.ts";
import { deliveryInputs } from "./delivery-inputs.ts";
import * as repo from "./delivery-repo.ts";
import { deliverJobOptions } from "./jobs.ts";
import { recordAttempts } from "./record.ts";
import { findEndpoint } from "./repo.ts";
import { systemAudit } from "./worker.ts";

/** What the API shows of an attempt: its response headers as the string map they are. */
const attemptView = (attempt: repo.AttemptView) => ({
  ...attempt,
  responseHeaders: attempt.responseHeaders as Record<string, string>,
});

/** One page of an endpoint's deliveries, newest first; `nextCursor` is null on the last page. */
export function listDeliveries(ctx: OrgContext, input: z.input<typeof deliveryInputs.list>) {
  authorize(ctx, "webhook:view");
  const { endpointId, status, limit, cursor } = deliveryInputs.list.parse(input);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    if (!(await findEndpoint(tx, ctx.orgId, endpointId))) throw notFound("Webhook endpoint");
    const rows = await repo.listDeliveries(tx, ctx.orgId, {
      endpointId,
      status,
      limit: limit + 1,
      after,
    });
    const items = rows.slice(0, limit).map(({ position: _, ...delivery }) => delivery);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(last.position) : null };
  });
}

/** A delivery with its payload and every attempt, oldest first. */
export function getDelivery(ctx: OrgContext, input: z.input<typeof deliveryInputs.one>) {
  authorize(ctx, "webhook:view");
  const { endpointId, deliveryId } = deliveryInputs.one.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const delivery = await repo.findDelivery(tx, ctx.orgId, endpointId, deliveryId);
    if (!delivery) throw notFound("Webhook delivery");
    const attempts = await repo.listAttempts(tx, ctx.orgId, deliveryId);
    return { ...delivery, history: attempts.map(attemptView) };
  });
}

/**
 * Sends the delivery once more, now, with the same `webhook-id` (any status), and records it
 * as a manual attempt. It leaves the retry schedule alone: a failure changes neither status
 * nor next attempt; a success marks the delivery succeeded, which ends its schedule. The
 * request waits for the attempt (at most the delivery timeout). A disabled endpoint is a 409.
 */
export async function redeliver(
  deps: WebhookDeliveryDeps,
  ctx: OrgContext,
  input: z.input<typeof deliveryInputs.one>,
) {
  authorize(ctx, "webhook:manage");
  const { endpointId, deliveryId } = deliveryInputs.one.parse(input);
  const row = await withTenant(ctx.db, ctx.orgId, async (tx) => {
    const [found] = await repo.loadForSending(tx, ctx.orgId, [deliveryId]);
    if (!found || found.endpointId !== endpointId) throw notFound("Webhook delivery");
    return found;
  });
  if (!row.enabled) {
    throw conflict("The endpoint is disabled; enable it before redelivering");
  }
  const now = (deps.now ?? (() => new Date()))();
  const result = await attemptDelivery(deps, ctx.orgId, row, now);
  const recordDeps = { queue: deps.queue, jobOptions: deliverJobOptions(timeoutOf(deps)) };
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const [recorded] = await recordAttempts(tx, recordDeps, systemAudit(ctx.orgId, deliveryId), [
      {
        deliveryId,
        endpointId,
        trigger: "manual",
        scheduledAttempt: row.scheduled,
        endpointFailingSince: row.failingSince,
        result,
      },
    ]);
    if (!recorded) throw notFound("Webhook delivery"); // deleted with its endpoint meanwhile
    await recordAudit(tx, ctx, {
      action: "webhook.redelivered",
      targetType: "webhook_delivery",
      targetId: deliveryId,
      metadata: { endpointId, attempt: recorded.attempt, responseStatus: result.responseStatus },
    });
    const attempts = await repo.listAttempts(tx, ctx.orgId, deliveryId);
    const attempt = attempts.find((a) => a.id === recorded.id);
    if (!attempt) throw notFound("Webhook attempt");
    return attemptView(attempt);
  });
}
