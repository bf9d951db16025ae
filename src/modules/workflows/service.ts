import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize, authorizeListing, mayHoldGrants } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { authorizeAsset } from "../sharing/authorize-asset.ts";
import { upsertGrant } from "../sharing/repo.ts";
import { workflowInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

/** Authorizes `verb` on the workflow and returns it. */
export async function authorizedWorkflow(
  tx: Tx,
  ctx: MemberContext,
  id: string,
  verb: "view" | "edit" | "run" | "delete",
) {
  await authorizeAsset(tx, ctx, "workflow", id, verb);
  const found = await repo.findById(tx, ctx, id);
  if (!found) throw notFound("Workflow");
  return found;
}

/** The creator becomes the workflow's editor. */
export function createWorkflow(ctx: MemberContext, input: z.input<typeof workflowInputs.create>) {
  authorize(ctx, "workflow:create");
  const { name, description } = workflowInputs.create.parse(input);
  const id = randomUUID();
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await repo.insert(tx, ctx, { id, name, description });
    if (mayHoldGrants(ctx.role)) {
      await upsertGrant(tx, ctx, "workflow", {
        assetId: id,
        memberId: ctx.memberId,
        level: "edit",
      });
    }
    await recordAudit(tx, ctx, {
      action: "workflow.created",
      targetType: "workflow",
      targetId: id,
      metadata: { name },
    });
    return repo.findById(tx, ctx, id);
  });
}

export function listWorkflows(ctx: MemberContext) {
  authorizeListing(ctx, "workflow:view");
  return withTenant(ctx.db, ctx.orgId, (tx) => repo.listViewable(tx, ctx));
}

export function getWorkflow(ctx: MemberContext, input: z.input<typeof workflowInputs.id>) {
  const { workflowId } = workflowInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, (tx) => authorizedWorkflow(tx, ctx, workflowId, "view"));
}

export function updateWorkflow(ctx: MemberContext, input: z.input<typeof workflowInputs.update>) {
  const { workflowId, ...changes } = workflowInputs.update.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const before = await authorizedWorkflow(tx, ctx, workflowId, "edit");
    await repo.update(tx, ctx, workflowId, changes);
    await recordAudit(tx, ctx, {
      action: "workflow.updated",
      targetType: "workflow",
      targetId: workflowId,
      metadata: { fields: Object.keys(changes), before: { name: before.name } },
    });
    return repo.findById(tx, ctx, workflowId);
  });
}

export function deleteWorkflow(ctx: MemberContext, input: z.input<typeof workflowInputs.id>) {
  const { workflowId } = workflowInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const found = await authorizedWorkflow(tx, ctx, workflowId, "delete");
    await repo.remove(tx, ctx, workflowId);
    await recordAudit(tx, ctx, {
      action: "workflow.deleted",
      targetType: "workflow",
      targetId: workflowId,
      metadata: { name: found.name },
    });
    return { workflowId };
  });
}
