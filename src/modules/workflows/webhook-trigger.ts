import { timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { notFound } from "../../lib/errors.ts";
import { hashToken } from "../../lib/tokens.ts";
import type { EngineDeps } from "./engine/deps.ts";
import { loadVersion } from "./engine/version-cache.ts";
import { startExecution } from "./executions/service.ts";
import { findTriggerTarget } from "./repo.ts";

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A workflow whose webhook secret matched: what `triggerByWebhook` starts. */
export interface WebhookTarget {
  workflowId: string;
  orgId: string;
  version: number;
}

/**
 * `POST /hooks/<workflow id>/<secret>`: the secret (stored only as its SHA-256) is the whole
 * authorization. Unknown workflow or wrong secret answer the same 404.
 */
export async function authenticateWebhook(
  db: Db,
  input: { workflowId: string; secret: string },
): Promise<WebhookTarget> {
  const workflow = await findTriggerTarget(db, input.workflowId);
  const expected = workflow?.webhookSecretHash;
  if (!workflow?.currentVersion || !expected || !sameHash(hashToken(input.secret), expected)) {
    throw notFound("Webhook");
  }
  return {
    workflowId: workflow.id,
    orgId: workflow.organizationId,
    version: workflow.currentVersion,
  };
}

/** Starts an execution of an authenticated target; 404 when its version has no webhook trigger. */
export async function triggerByWebhook(
  deps: Pick<EngineDeps, "enqueue"> & { db: Db },
  target: WebhookTarget,
  payload: Record<string, unknown>,
) {
  const { orgId, workflowId, version } = target;
  return withTenant(deps.db, orgId, async (tx) => {
    const definition = (await loadVersion(tx, orgId, workflowId, version))?.definition;
    if (!definition?.nodes.some((n) => n.type === "webhook_trigger")) throw notFound("Webhook");
    const executionId = await startExecution(deps, tx, {
      orgId,
      workflowId,
      version,
      trigger: "webhook",
      payload,
    });
    return { executionId };
  });
}
