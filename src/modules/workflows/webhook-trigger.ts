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

/**
 * `POST /hooks/<workflow id>/<secret>`: the secret (stored only as its SHA-256) is the whole
 * authorization. Unknown workflow, wrong secret, or a current version without a webhook
 * trigger all answer the same 404.
 */
export async function triggerByWebhook(
  deps: Pick<EngineDeps, "enqueue"> & { db: Db },
  input: { workflowId: string; secret: string; payload: Record<string, unknown> },
) {
  const workflow = await findTriggerTarget(deps.db, input.workflowId);
  const expected = workflow?.webhookSecretHash;
  if (!workflow?.currentVersion || !expected || !sameHash(hashToken(input.secret), expected)) {
    throw notFound("Webhook");
  }
  const { organizationId: orgId, currentVersion: version } = workflow;
  return withTenant(deps.db, orgId, async (tx) => {
    const definition = (await loadVersion(tx, orgId, workflow.id, version))?.definition;
    if (!definition?.nodes.some((n) => n.type === "webhook_trigger")) throw notFound("Webhook");
    const executionId = await startExecution(deps, tx, {
      orgId,
      workflowId: workflow.id,
      version,
      trigger: "webhook",
      payload: input.payload,
    });
    return { executionId };
  });
}
