import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { viewableAssets } from "../../access/asset-filter.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { workflow, workflowGrant, workflowVersion } from "../../db/schema/index.ts";

const columns = {
  id: workflow.id,
  name: workflow.name,
  description: workflow.description,
  sharingMode: workflow.sharingMode,
  defaultLevel: workflow.defaultLevel,
  currentVersion: workflow.currentVersion,
  hasWebhookSecret: sql<boolean>`${workflow.webhookSecretHash} is not null`,
  createdBy: workflow.createdBy,
  createdAt: workflow.createdAt,
  updatedAt: workflow.updatedAt,
};

export function listViewable(db: Queryable, ctx: MemberContext) {
  return db
    .select(columns)
    .from(workflow)
    .where(viewableAssets(ctx, "workflow", workflow, workflowGrant))
    .orderBy(asc(workflow.name));
}

export async function findById(db: Queryable, ctx: MemberContext, id: string) {
  const [row] = await db
    .select(columns)
    .from(workflow)
    .where(and(eq(workflow.organizationId, ctx.orgId), eq(workflow.id, id)));
  return row;
}

export async function insert(
  tx: Tx,
  ctx: MemberContext,
  values: { id: string; name: string; description: string },
) {
  await tx.insert(workflow).values({
    ...values,
    organizationId: ctx.orgId,
    defaultLevel: "view",
    createdBy: ctx.userId,
  });
}

export async function update(
  tx: Tx,
  ctx: MemberContext,
  id: string,
  changes: { name?: string; description?: string },
) {
  await tx
    .update(workflow)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(workflow.organizationId, ctx.orgId), eq(workflow.id, id)));
}

export async function remove(tx: Tx, ctx: MemberContext, id: string) {
  await tx.delete(workflow).where(and(eq(workflow.organizationId, ctx.orgId), eq(workflow.id, id)));
}

export async function setCurrentVersion(tx: Tx, ctx: MemberContext, id: string, version: number) {
  await tx
    .update(workflow)
    .set({ currentVersion: version, updatedAt: new Date() })
    .where(and(eq(workflow.organizationId, ctx.orgId), eq(workflow.id, id)));
}

export async function setWebhookSecretHash(tx: Tx, ctx: MemberContext, id: string, hash: string) {
  await tx
    .update(workflow)
    .set({ webhookSecretHash: hash })
    .where(and(eq(workflow.organizationId, ctx.orgId), eq(workflow.id, id)));
}

/** For triggers (webhook route, schedules), which know only the workflow id, not its org yet. */
export async function findTriggerTarget(db: Queryable, id: string) {
  const [row] = await db
    .select({
      id: workflow.id,
      organizationId: workflow.organizationId,
      currentVersion: workflow.currentVersion,
      webhookSecretHash: workflow.webhookSecretHash,
    })
    .from(workflow)
    .where(eq(workflow.id, id));
  return row;
}

export async function insertVersion(
  tx: Tx,
  ctx: MemberContext,
  workflowId: string,
  version: { number: number; definition: Record<string, unknown> },
) {
  await tx.insert(workflowVersion).values({
    id: randomUUID(),
    organizationId: ctx.orgId,
    workflowId,
    version: version.number,
    definition: version.definition,
    authorMemberId: ctx.memberId,
    createdBy: ctx.userId,
  });
}
