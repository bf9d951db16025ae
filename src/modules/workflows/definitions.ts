import { z } from "zod";
import { authorizeReviewNode, isAllowed } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { notFound } from "../../lib/errors.ts";
import { hashToken, newToken } from "../../lib/tokens.ts";
import { recordAudit } from "../audit/record.ts";
import { loadAssetAccess } from "../sharing/repo.ts";
import { findMetadata } from "../vault/repo.ts";
import type { WorkflowDefinition } from "./definition.ts";
import type { EngineDeps } from "./engine/deps.ts";
import { findVersion } from "./engine/repo.ts";
import { syncSchedule } from "./engine/schedules.ts";
import { reviewNode } from "./nodes/review.ts";
import * as repo from "./repo.ts";
import { reviewNodeCheck } from "./review-node-checks.ts";
import { authorizedWorkflow } from "./service.ts";
import { type CredentialCheck, validateDefinition } from "./validate.ts";

export const definitionInputs = {
  save: z.strictObject({ workflowId: z.string().min(1), definition: z.unknown() }),
  get: z.strictObject({
    workflowId: z.string().min(1),
    version: z.number().int().min(1).optional(),
  }),
  id: z.strictObject({ workflowId: z.string().min(1) }),
};

/** A credential is usable in a node when the saving member may use it and its type fits. */
function credentialCheck(tx: Tx, ctx: MemberContext): CredentialCheck {
  return async (credentialId, accepts) => {
    const access = await loadAssetAccess(tx, ctx, "credential", credentialId);
    if (!access || !isAllowed(ctx, "credential:view", access))
      return `credential ${credentialId} not found`;
    const found = await findMetadata(tx, ctx, credentialId);
    if (!found) return `credential ${credentialId} not found`;
    if (!isAllowed(ctx, "credential:use", access))
      return `you may not use credential "${found.name}"`;
    if (!accepts.includes(found.type)) {
      return `credential "${found.name}" is of type ${found.type}; this node accepts ${accepts.join(", ")}`;
    }
    return null;
  };
}

const usesWebhook = (definition: WorkflowDefinition) =>
  definition.nodes.some((n) => n.type === "webhook_trigger");

/**
 * Validates and saves a new version; it becomes the one new executions run, with the saving
 * member's authority over credentials and reviews (a review node needs the saver to hold what
 * it does). A first webhook trigger gets its secret, shown once.
 */
export function saveDefinition(
  engine: Pick<EngineDeps, "schedules">,
  ctx: MemberContext,
  input: z.input<typeof definitionInputs.save>,
) {
  const { workflowId, definition: raw } = definitionInputs.save.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const workflow = await authorizedWorkflow(tx, ctx, workflowId, "edit");
    const definition = await validateDefinition(
      raw,
      credentialCheck(tx, ctx),
      reviewNodeCheck(tx, ctx),
    );
    for (const node of definition.nodes.filter((n) => n.type === reviewNode.type)) {
      const notifies = node.parameters.notify !== undefined;
      authorizeReviewNode(ctx, { nodeId: node.id, notifies });
    }
    const version = (workflow.currentVersion ?? 0) + 1;
    await repo.insertVersion(tx, ctx, workflowId, { number: version, definition });
    await repo.setCurrentVersion(tx, ctx, workflowId, version);
    await syncSchedule(engine.schedules, tx, { orgId: ctx.orgId, workflowId }, definition);
    let webhookSecret: string | undefined;
    if (usesWebhook(definition) && !workflow.hasWebhookSecret) {
      webhookSecret = newToken();
      await repo.setWebhookSecretHash(tx, ctx, workflowId, hashToken(webhookSecret));
    }
    await recordAudit(tx, ctx, {
      action: "workflow.definition_saved",
      targetType: "workflow",
      targetId: workflowId,
      metadata: { version, nodes: definition.nodes.length },
    });
    return { workflowId, version, ...(webhookSecret && { webhookSecret }) };
  });
}

export function getDefinition(ctx: MemberContext, input: z.input<typeof definitionInputs.get>) {
  const { workflowId, version } = definitionInputs.get.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const workflow = await authorizedWorkflow(tx, ctx, workflowId, "view");
    const wanted = version ?? workflow.currentVersion;
    const found = wanted ? await findVersion(tx, ctx.orgId, workflowId, wanted) : undefined;
    if (!found) throw notFound("Workflow version");
    return {
      workflowId,
      version: found.version,
      definition: found.definition,
      createdAt: found.createdAt,
    };
  });
}

/** A new incoming-webhook secret, shown once; the old one stops working at once. */
export function rotateWebhookSecret(
  ctx: MemberContext,
  input: z.input<typeof definitionInputs.id>,
) {
  const { workflowId } = definitionInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedWorkflow(tx, ctx, workflowId, "edit");
    const webhookSecret = newToken();
    await repo.setWebhookSecretHash(tx, ctx, workflowId, hashToken(webhookSecret));
    await recordAudit(tx, ctx, {
      action: "workflow.webhook_secret_rotated",
      targetType: "workflow",
      targetId: workflowId,
    });
    return { workflowId, webhookSecret };
  });
}
