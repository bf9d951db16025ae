import { authorizeReviewNode } from "../../../access/authorize.ts";
import type { MemberContext } from "../../../access/context.ts";
import { withTenant } from "../../../db/tenant.ts";
import { insertReview } from "../../reviews/service.ts";
import { issueQuickActions, issueReviewLink } from "../../reviews/tokens.ts";
import type { RaisedReview, ReviewRequest } from "../nodes/types.ts";
import type { EngineDeps } from "./deps.ts";

/** A review node's review, and its notification links, created in one transaction. */
export function raiseReview(
  deps: Pick<EngineDeps, "db" | "baseUrl" | "reviewMaxSeconds" | "webhooks">,
  ctx: MemberContext,
  source: { workflowId: string; executionId: string; nodeId: string },
  request: ReviewRequest,
): Promise<RaisedReview> {
  const { publicLink, quickActionsFor, ...review } = request;
  const notifies = publicLink || quickActionsFor.length > 0;
  authorizeReviewNode(ctx, { nodeId: source.nodeId, notifies });
  return withTenant(deps.db, ctx.orgId, async (tx) => {
    const created = await insertReview(
      tx,
      ctx,
      { ...review, source },
      { maxSeconds: deps.reviewMaxSeconds, queue: deps.webhooks },
    );
    const raised: RaisedReview = {
      reviewId: created.id,
      expiresAt: created.expiresAt,
      created: created.created,
      quickActions: {},
    };
    if (!created.created) return raised;
    const at = {
      orgId: ctx.orgId,
      reviewId: created.id,
      reviewExpiresAt: created.expiresAt,
      baseUrl: deps.baseUrl,
    };
    if (publicLink) raised.linkUrl = (await issueReviewLink(tx, at)).url;
    for (const recipient of quickActionsFor)
      raised.quickActions[recipient] = await issueQuickActions(tx, at, recipient);
    return raised;
  });
}
