import type { Db } from "../../db/client.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Outbound } from "../../net/outbound.ts";
import type { Keyring } from "../vault/keyring.ts";
import { type AttemptResult, DEFAULT_DELIVERY_TIMEOUT_MS, sendAttempt } from "./deliver.ts";
import type { SendingRow } from "./delivery-repo.ts";
import { ENDPOINT_DISABLED_KIND } from "./outcome.ts";
import { openWebhookSecret } from "./secrets.ts";

/** What delivering webhooks works with; clock, randomness and timeout are injectable for tests. */
export interface WebhookDeliveryDeps {
  db: Db;
  keyring: Keyring;
  outbound: Outbound;
  logger: Logger;
  queue: Pick<JobQueue, "sendInTransaction">;
  now?: () => Date;
  random?: () => number;
  /** Per attempt, default 15 s. */
  timeoutMs?: number;
}

export const timeoutOf = (deps: WebhookDeliveryDeps) =>
  deps.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;

/**
 * Makes one attempt for a loaded delivery: signs with the current secret, plus the previous
 * one while its grace period runs, and sends. A disabled endpoint is not contacted.
 */
export async function attemptDelivery(
  deps: WebhookDeliveryDeps,
  orgId: string,
  row: SendingRow,
  now: Date,
): Promise<AttemptResult> {
  if (!row.enabled) {
    return notSent(row, now, ENDPOINT_DISABLED_KIND, disabledMessage(row.disabledReason));
  }
  let secrets: string[];
  try {
    secrets = signingSecrets(deps.keyring, orgId, row, now);
  } catch {
    // The vault error names ids only, but the attempt row needs no detail beyond this.
    return notSent(row, now, "signing", "The endpoint's signing secret cannot be decrypted");
  }
  return sendAttempt(
    deps.outbound,
    { url: row.url, deliveryId: row.id, body: row.body, secrets },
    { now, timeoutMs: timeoutOf(deps) },
  );
}

function signingSecrets(keyring: Keyring, orgId: string, row: SendingRow, now: Date): string[] {
  const owner = { orgId, endpointId: row.endpointId };
  const secrets = [openWebhookSecret(keyring, owner, row.secretEnvelope)];
  if (
    row.previousSecretEnvelope &&
    row.previousSecretExpiresAt &&
    row.previousSecretExpiresAt.getTime() > now.getTime()
  ) {
    secrets.push(openWebhookSecret(keyring, owner, row.previousSecretEnvelope));
  }
  return secrets;
}

const disabledMessage = (reason: string | null) =>
  `Not sent: the endpoint is disabled${reason ? ` (${reason})` : ""}`;

function notSent(row: SendingRow, now: Date, errorKind: string, error: string): AttemptResult {
  return {
    url: row.url,
    requestedAt: now,
    durationMs: 0,
    responseStatus: null,
    responseHeaders: {},
    responseBody: null,
    errorKind,
    error,
  };
}
