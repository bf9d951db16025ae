import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { MemberContext } from "../../access/context.ts";
import type { Queryable } from "../../db/client.ts";
import { user, workflowVersion } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { authorizedWorkflow } from "./service.ts";

export const versionInputs = {
  list: z.strictObject({
    workflowId: z.string().min(1),
    limit: z.number().int().min(1).max(200).default(50),
  }),
};

/** A workflow's latest `limit` versions, newest first, each with who saved it. */
export function listVersions(ctx: MemberContext, input: z.input<typeof versionInputs.list>) {
  const { workflowId, limit } = versionInputs.list.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedWorkflow(tx, ctx, workflowId, "view");
    return findVersions(tx, ctx.orgId, workflowId, limit);
  });
}

function findVersions(db: Queryable, orgId: string, workflowId: string, limit: number) {
  return db
    .select({
      version: workflowVersion.version,
      createdAt: workflowVersion.createdAt,
      // null once the author's account is deleted
      author: { name: user.name, email: user.email },
    })
    .from(workflowVersion)
    .leftJoin(user, eq(user.id, workflowVersion.createdBy))
    .where(
      and(eq(workflowVersion.organizationId, orgId), eq(workflowVersion.workflowId, workflowId)),
    )
    .orderBy(desc(workflowVersion.version))
    .limit(limit);
}
