import { and, desc, eq, lt } from "drizzle-orm";
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
    /** `nextCursor` of the previous page. */
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, "cursor: not a cursor issued by this API")
      .optional(),
  }),
};

/**
 * One page of a workflow's versions, newest first, each with who saved it; `nextCursor` is
 * null on the last page. The cursor is the last version shown: versions never change.
 */
export function listVersions(ctx: MemberContext, input: z.input<typeof versionInputs.list>) {
  const { workflowId, limit, cursor } = versionInputs.list.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedWorkflow(tx, ctx, workflowId, "view");
    const rows = await findVersions(tx, ctx.orgId, workflowId, {
      before: cursor === undefined ? undefined : Number(cursor),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[items.length - 1] : undefined;
    return { items, nextCursor: last ? String(last.version) : null };
  });
}

function findVersions(
  db: Queryable,
  orgId: string,
  workflowId: string,
  page: { before: number | undefined; limit: number },
) {
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
      and(
        eq(workflowVersion.organizationId, orgId),
        eq(workflowVersion.workflowId, workflowId),
        page.before === undefined ? undefined : lt(workflowVersion.version, page.before),
      ),
    )
    .orderBy(desc(workflowVersion.version))
    .limit(page.limit);
}
