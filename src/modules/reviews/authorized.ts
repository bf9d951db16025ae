import { authorize, isAllowed, isRoutedTo, type ReviewAccess } from "../../access/authorize.ts";
import { isKeyContext, type OrgContext } from "../../access/context.ts";
import type { Action } from "../../access/statements.ts";
import type { Tx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { loadAssetAccess } from "../sharing/repo.ts";
import * as repo from "./repo.ts";

export type ReviewRow = NonNullable<Awaited<ReturnType<typeof repo.findReview>>>;

/** The policy's view of one review for the acting member or key (a key's scopes decide alone). */
export async function accessTo(tx: Tx, ctx: OrgContext, review: ReviewRow): Promise<ReviewAccess> {
  const orgId = review.row.organizationId;
  if (isKeyContext(ctx)) return { type: "review", orgId, routed: false, viaWorkflow: false };
  const assignedToMe = await repo.isAssigned(tx, ctx.orgId, review.id, ctx.memberId);
  const workflow = review.workflowId
    ? await loadAssetAccess(tx, ctx, "workflow", review.workflowId)
    : undefined;
  return {
    type: "review",
    orgId,
    routed: isRoutedTo(ctx, { anyReviewer: review.anyReviewer, assignedToMe }),
    viaWorkflow: workflow !== undefined && isAllowed(ctx, "workflow:view", workflow),
  };
}

/** Loads a review and authorizes `action` on it (404 when the actor may not even see it). */
export async function authorizedReview(tx: Tx, ctx: OrgContext, reviewId: string, action: Action) {
  // a key without the scope is told which scope it lacks, whatever the review
  if (isKeyContext(ctx)) authorize(ctx, action);
  const review = await repo.findReview(tx, ctx.orgId, reviewId);
  if (!review) throw notFound("Review");
  authorize(ctx, action, await accessTo(tx, ctx, review));
  return review;
}
