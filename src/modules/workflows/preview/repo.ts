import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { execution } from "../../../db/schema/index.ts";

/** The workflow's most recently started execution, whatever its status. */
export async function latestExecution(db: Queryable, orgId: string, workflowId: string) {
  const [row] = await db
    .select()
    .from(execution)
    .where(and(eq(execution.organizationId, orgId), eq(execution.workflowId, workflowId)))
    .orderBy(desc(execution.createdAt), desc(execution.id))
    .limit(1);
  return row;
}
