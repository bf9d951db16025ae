import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { OrgContext } from "../../access/context.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import type { AllowEntry } from "../../net/allowlist.ts";
import { recordAudit } from "../audit/record.ts";
import type { Keyring } from "../vault/keyring.ts";
import { emitWebhookEvent, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./events.ts";
import { webhookInputs } from "./inputs.ts";
import type { WebhookQueue } from "./jobs.ts";
import * as repo from "./repo.ts";
import { generateWebhookSecret, openWebhookSecret, sealWebhookSecret } from "./secrets.ts";
import { endpointUrlProblem } from "./url.ts";

/** A subset of the app's collaborators (transports pass theirs as they are). */
export interface WebhookDeps {
  keyring: Keyring;
  queue: WebhookQueue;
  /** FLUXO_OUTBOUND_ALLOW: the hosts an endpoint may reach over plain http. */
  config: { outboundAllow: readonly AllowEntry[] };
}

function checkUrl(deps: WebhookDeps, url: string) {
  const problem = endpointUrlProblem(url, deps.config.outboundAllow);
  if (problem) throw badRequest(`url: ${problem}`, "url");
}

/** The endpoint and, this once, its signing secret. */
export function createEndpoint(
  deps: WebhookDeps,
  ctx: OrgContext,
  input: z.input<typeof webhookInputs.create>,
) {
  authorize(ctx, "webhook:manage");
  const { url, description, eventTypes } = webhookInputs.create.parse(input);
  checkUrl(deps, url);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const secretEnvelope = sealWebhookSecret(
    deps.keyring,
    { orgId: ctx.orgId, endpointId: id },
    secret,
  );
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const endpoint = await repo.insertEndpoint(tx, {
      id,
      organizationId: ctx.orgId,
      url,
      description,
      eventTypes,
      secretEnvelope,
    });
    await recordAudit(tx, ctx, {
      action: "webhook.created",
      targetType: "webhook_endpoint",
      targetId: id,
      metadata: { url, eventTypes },
    });
    return { ...endpoint, secret };
  });
}

/** The event types an endpoint may subscribe to, for forms that offer them as choices. */
export function listEventTypes(ctx: OrgContext): readonly WebhookEventType[] {
  authorize(ctx, "webhook:view");
  return WEBHOOK_EVENT_TYPES;
}

export function listEndpoints(ctx: OrgContext) {
  authorize(ctx, "webhook:view");
  return withTenant(ctx.db, ctx.orgId, (tx) => repo.listEndpoints(tx, ctx.orgId));
}

export function getEndpoint(ctx: OrgContext, input: z.input<typeof webhookInputs.id>) {
  authorize(ctx, "webhook:view");
  const { endpointId } = webhookInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const endpoint = await repo.findEndpoint(tx, ctx.orgId, endpointId);
    if (!endpoint) throw notFound("Webhook endpoint");
    return endpoint;
  });
}

/**
 * Changes what is sent. `enabled: true` is the explicit re-enable: it also forgets why and
 * since when the system had disabled the endpoint or seen it failing.
 */
export function updateEndpoint(
  deps: WebhookDeps,
  ctx: OrgContext,
  input: z.input<typeof webhookInputs.update>,
) {
  authorize(ctx, "webhook:manage");
  const { endpointId, enabled, ...fields } = webhookInputs.update.parse(input);
  if (fields.url !== undefined) checkUrl(deps, fields.url);
  const changes: Parameters<typeof repo.updateEndpoint>[3] = { ...fields };
  if (enabled === true)
    Object.assign(changes, { enabled, disabledReason: null, disabledAt: null, failingSince: null });
  if (enabled === false)
    Object.assign(changes, { enabled, disabledReason: null, disabledAt: new Date() });
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const endpoint = await repo.updateEndpoint(tx, ctx.orgId, endpointId, changes);
    if (!endpoint) throw notFound("Webhook endpoint");
    await recordAudit(tx, ctx, {
      action: "webhook.updated",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      metadata: { ...fields, ...(enabled !== undefined && { enabled }) },
    });
    return endpoint;
  });
}

export function deleteEndpoint(ctx: OrgContext, input: z.input<typeof webhookInputs.id>) {
  authorize(ctx, "webhook:manage");
  const { endpointId } = webhookInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const deleted = await repo.deleteEndpoint(tx, ctx.orgId, endpointId);
    if (!deleted) throw notFound("Webhook endpoint");
    await recordAudit(tx, ctx, {
      action: "webhook.deleted",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      metadata: { url: deleted.url },
    });
    return { endpointId, deleted: true };
  });
}

/**
 * A new secret, shown this once. The current one becomes the previous secret and keeps
 * signing (next to the new one) until the grace period ends; a grace of 0 drops it at once.
 * An earlier previous secret still in its grace is dropped: at most two sign.
 */
export function rotateSecret(
  deps: WebhookDeps,
  ctx: OrgContext,
  input: z.input<typeof webhookInputs.rotate>,
) {
  authorize(ctx, "webhook:manage");
  const { endpointId, graceSeconds } = webhookInputs.rotate.parse(input);
  const owner = { orgId: ctx.orgId, endpointId };
  const secret = generateWebhookSecret();
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const sealed = await repo.findSealedEndpoint(tx, ctx.orgId, endpointId);
    if (!sealed) throw notFound("Webhook endpoint");
    const previousSecretExpiresAt =
      graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null;
    await repo.updateEndpoint(tx, ctx.orgId, endpointId, {
      secretEnvelope: sealWebhookSecret(deps.keyring, owner, secret),
      previousSecretEnvelope: previousSecretExpiresAt ? sealed.secretEnvelope : null,
      previousSecretExpiresAt,
    });
    await recordAudit(tx, ctx, {
      action: "webhook.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      metadata: { graceSeconds, previousSecretExpiresAt },
    });
    return { endpointId, secret, previousSecretExpiresAt };
  });
}

/**
 * Shows the current secret again, audited. No API key scope carries `webhook:reveal_secret`:
 * a leaked key must not turn into the ability to forge our signatures. Keys rotate instead
 * (the new secret is shown once).
 */
export function revealSecret(
  deps: WebhookDeps,
  ctx: OrgContext,
  input: z.input<typeof webhookInputs.id>,
) {
  authorize(ctx, "webhook:reveal_secret");
  const { endpointId } = webhookInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const sealed = await repo.findSealedEndpoint(tx, ctx.orgId, endpointId);
    if (!sealed) throw notFound("Webhook endpoint");
    await recordAudit(tx, ctx, {
      action: "webhook.secret_revealed",
      targetType: "webhook_endpoint",
      targetId: endpointId,
    });
    const owner = { orgId: ctx.orgId, endpointId };
    return { endpointId, secret: openWebhookSecret(deps.keyring, owner, sealed.secretEnvelope) };
  });
}

/** Sends a `webhook.test` event to this endpoint only, whatever it subscribes to. */
export function sendTestEvent(
  deps: WebhookDeps,
  ctx: OrgContext,
  input: z.input<typeof webhookInputs.id>,
) {
  authorize(ctx, "webhook:manage");
  const { endpointId } = webhookInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    if (!(await repo.findEndpoint(tx, ctx.orgId, endpointId))) throw notFound("Webhook endpoint");
    const [deliveryId] = await emitWebhookEvent(
      tx,
      deps.queue,
      { orgId: ctx.orgId, type: "webhook.test", data: { endpoint_id: endpointId } },
      { endpointId },
    );
    // emitting skips disabled endpoints
    if (!deliveryId) {
      throw new AppError("CONFLICT", "This endpoint is disabled; enable it to send a test event");
    }
    return { endpointId, deliveryId };
  });
}
