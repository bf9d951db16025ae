import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { viewableAssets } from "../../access/asset-filter.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { execution, workflow, workflowGrant, workflowVersion } from "../../db/schema/index.ts";
import { nodeTypes } from "./nodes/index.ts";

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

const triggerTypes = [...nodeTypes.values()].filter((n) => n.kind === "trigger").map((n) => n.type);

/**
 * The workflows the member may view, each with its current version's trigger type and its
 * latest execution, in one query (one index probe per workflow for the execution).
 */
export function listViewable(db: Queryable, ctx: MemberContext) {
  const latest = db
    .select({ id: execution.id, status: execution.status, createdAt: execution.createdAt })
    .from(execution)
    .where(
      and(
        eq(execution.organizationId, workflow.organizationId),
        eq(execution.workflowId, workflow.id),
      ),
    )
    .orderBy(desc(execution.createdAt))
    .limit(1)
    .as("latest_execution");
  const triggerType = sql<string | null>`(select node->>'type'
    from jsonb_array_elements(${workflowVersion.definition}->'nodes') as node
    where node->>'type' in (${sql.join(
      triggerTypes.map((type) => sql`${type}`),
      sql`, `,
    )}) limit 1)`;
  return db
    .select({
      ...columns,
      triggerType,
      lastExecution: { id: latest.id, status: latest.status, createdAt: latest.createdAt },
    })
    .from(workflow)
    .leftJoin(
      workflowVersion,
      and(
        eq(workflowVersion.organizationId, workflow.organizationId),
        eq(workflowVersion.workflowId, workflow.id),
        eq(workflowVersion.version, workflow.currentVersion),
      ),
    )
    .leftJoinLateral(latest, sql`true`)
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
