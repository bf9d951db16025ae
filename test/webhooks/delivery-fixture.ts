import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { webhookAttempt, webhookDelivery, webhookEndpoint } from "../../src/db/schema/index.ts";
import type { WebhookDeliveryDeps } from "../../src/modules/webhooks/attempt.ts";
import { generateWebhookSecret, sealWebhookSecret } from "../../src/modules/webhooks/secrets.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { createOutbound, type OutboundOptions } from "../../src/net/outbound.ts";
import { loopbackOnlyConnect } from "../../src/net/testing.ts";
import type { TestApp } from "../helpers/app.ts";
import { dbRows } from "../helpers/orgs.ts";
import { type SinkRequest, startSink } from "../workflows/harness.ts";

export type Sink = Awaited<ReturnType<typeof startSink>>;
export type { SinkRequest };
export { startSink };

/** An outbound guard that may reach loopback receivers (and, whatever happens, nothing else). */
export function loopbackOutbound(options: OutboundOptions = {}) {
  const connect = loopbackOnlyConnect();
  const outbound = createOutbound({ allow: parseAllowlist("127.0.0.1"), connect, ...options });
  return Object.assign(outbound, { targets: connect.targets });
}

/** Delivery deps on the test app's database, with a clock the test moves by hand. */
export function deliveryDeps(t: TestApp, overrides: Partial<WebhookDeliveryDeps> = {}) {
  const clock = { now: new Date() };
  const deps: WebhookDeliveryDeps = {
    db: t.deps.database.db,
    keyring: t.deps.keyring,
    outbound: loopbackOutbound(),
    logger: t.deps.logger,
    queue: t.deps.queue,
    now: () => clock.now,
    random: () => 0.5, // no jitter: delays are exactly the schedule's
    timeoutMs: 2_000,
    ...overrides,
  };
  return { deps, clock };
}

export interface EndpointOptions {
  previousSecret?: string;
  previousSecretExpiresAt?: Date;
  failingSince?: Date;
  enabled?: boolean;
}

/** An endpoint row with a sealed secret, written directly (endpoint management is not tested here). */
export async function createEndpoint(
  t: TestApp,
  orgId: string,
  url: string,
  options: EndpointOptions = {},
) {
  const id = `we_${randomUUID()}`;
  const secret = generateWebhookSecret();
  const owner = { orgId, endpointId: id };
  await t.deps.database.db.insert(webhookEndpoint).values({
    id,
    organizationId: orgId,
    url,
    eventTypes: ["review.approved"],
    enabled: options.enabled ?? true,
    secretEnvelope: sealWebhookSecret(t.deps.keyring, owner, secret),
    previousSecretEnvelope: options.previousSecret
      ? sealWebhookSecret(t.deps.keyring, owner, options.previousSecret)
      : null,
    previousSecretExpiresAt: options.previousSecretExpiresAt ?? null,
    failingSince: options.failingSince ?? null,
  });
  return { id, secret };
}

/** A pending delivery; `createdAt` orders it among others when a test lists them. */
export async function createDelivery(
  t: TestApp,
  orgId: string,
  endpointId: string,
  createdAt?: Date,
) {
  const id = `msg_${randomUUID().replaceAll("-", "")}`;
  const payload = {
    type: "review.approved",
    timestamp: new Date().toISOString(),
    data: { reviewId: randomUUID(), decision: "approved" },
  };
  await t.deps.database.db.insert(webhookDelivery).values({
    id,
    organizationId: orgId,
    endpointId,
    eventType: "review.approved",
    payload,
    ...(createdAt && { createdAt }),
  });
  return id;
}

export async function attemptsOf(t: TestApp, deliveryId: string) {
  const rows = await t.deps.database.db
    .select()
    .from(webhookAttempt)
    .where(eq(webhookAttempt.deliveryId, deliveryId))
    .orderBy(webhookAttempt.attempt);
  return rows.map((row) => ({
    ...row,
    responseHeaders: row.responseHeaders as Record<string, string>,
  }));
}

export async function deliveryOf(t: TestApp, deliveryId: string) {
  const [row] = await t.deps.database.db
    .select()
    .from(webhookDelivery)
    .where(eq(webhookDelivery.id, deliveryId));
  if (!row) throw new Error(`no delivery ${deliveryId}`);
  return row;
}

export async function endpointOf(t: TestApp, orgId: string, endpointId: string) {
  const [row] = await t.deps.database.db
    .select()
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.organizationId, orgId), eq(webhookEndpoint.id, endpointId)));
  if (!row) throw new Error(`no endpoint ${endpointId}`);
  return row;
}

/** The follow-up jobs queued for a delivery, in schedule order. */
export const queuedJobsOf = (t: TestApp, deliveryId: string) =>
  dbRows<{ data: { attempt?: number }; start_ms: number; expire_seconds: number }>(
    t,
    sql`select data, (extract(epoch from start_after) * 1000)::float8 as start_ms, expire_seconds
        from pgboss.job
        where name = 'webhook.deliver' and data->>'deliveryId' = ${deliveryId}
        order by created_on`,
  );

/** A receiver answering `status` (with optional headers and body) to every request. */
export const answering =
  (status: number, headers: Record<string, string> = {}, body = "") =>
  (_req: SinkRequest, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  };
