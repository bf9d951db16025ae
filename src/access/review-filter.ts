import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { reviewAssignee, reviewRequest, workflow, workflowGrant } from "../db/schema/index.ts";
import { viewableAssets } from "./asset-filter.ts";
import { scopeOf } from "./authorize.ts";
import { isKeyContext, type OrgContext } from "./context.ts";
import { anyReviewerRoles } from "./statements.ts";

/**
 * The WHERE condition for listing the reviews a member or key may view: the list-shaped form
 * of `authorize(ctx, "review:view", review)`. A key (its scope checked by `authorizeListing`)
 * sees every review of its organization.
 */
export function viewableReviews(ctx: OrgContext): SQL {
  const inOrg = eq(reviewRequest.organizationId, ctx.orgId);
  if (isKeyContext(ctx)) return inOrg;
  const scope = scopeOf(ctx.role, "review:view");
  if (scope === "any") return inOrg;
  const assigned = sql`exists (select 1 from ${reviewAssignee} where ${and(
    eq(reviewAssignee.reviewId, reviewRequest.id),
    eq(reviewAssignee.memberId, ctx.memberId),
  )})`;
  const routed = anyReviewerRoles.includes(ctx.role)
    ? (or(eq(reviewRequest.anyReviewer, true), assigned) as SQL)
    : assigned;
  if (scope === "routed") return and(inOrg, routed) as SQL;
  if (scope !== "granted") return sql`false`;
  const viewableWorkflow = inArray(
    reviewRequest.workflowId,
    sql`(select ${workflow.id} from ${workflow} where ${viewableAssets(ctx, "workflow", workflow, workflowGrant)})`,
  );
  return and(inOrg, or(routed, viewableWorkflow)) as SQL;
}
