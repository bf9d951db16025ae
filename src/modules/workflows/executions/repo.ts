import { and, desc, eq, sql } from "drizzle-orm";
import { viewableAssets } from "../../../access/asset-filter.ts";
import type { MemberContext } from "../../../access/context.ts";
import type { Queryable } from "../../../db/client.ts";
import { execution, workflow, workflowGrant } from "../../../db/schema/index.ts";

export interface ExecutionPosition {
  at: string;
  id: string;
}

type Status = (typeof execution.$inferSelect)["status"];
type Trigger = (typeof execution.$inferSelect)["trigger"];

const positionAt = sql<string>`to_char(${execution.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Executions of the workflows the member may view (the listing form of `workflow:view`),
 * newest first (ties by id), with their workflow's name, optionally after a position.
 */
export function listViewable(
  db: Queryable,
  ctx: MemberContext,
  filter: {
    workflowId?: string | undefined;
    status?: Status | undefined;
    trigger?: Trigger | undefined;
    limit: number;
    after?: ExecutionPosition | undefined;
  },
) {
  const { workflowId, status, trigger, limit, after } = filter;
  return db
    .select({
      id: execution.id,
      workflowId: execution.workflowId,
      workflowName: workflow.name,
      version: execution.version,
      status: execution.status,
      trigger: execution.trigger,
      error: execution.error,
      createdAt: execution.createdAt,
      startedAt: execution.startedAt,
      finishedAt: execution.finishedAt,
      position: { at: positionAt, id: execution.id },
    })
    .from(execution)
    .innerJoin(
      workflow,
      and(
        eq(workflow.organizationId, execution.organizationId),
        eq(workflow.id, execution.workflowId),
      ),
    )
    .where(
      and(
        eq(execution.organizationId, ctx.orgId),
        viewableAssets(ctx, "workflow", workflow, workflowGrant),
        workflowId ? eq(execution.workflowId, workflowId) : undefined,
        status ? eq(execution.status, status) : undefined,
        trigger ? eq(execution.trigger, trigger) : undefined,
        after
          ? sql`(${execution.createdAt}, ${execution.id}) < (${after.at}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(execution.createdAt), desc(execution.id))
    .limit(limit);
}
