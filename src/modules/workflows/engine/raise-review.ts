import { randomUUID } from "node:crypto";
import { authorizeReviewNode } from "../../../access/authorize.ts";
import type { MemberContext } from "../../../access/context.ts";
import { withTenant } from "../../../db/tenant.ts";
import { checkAssignees, checkLifetime, insertReview } from "../../reviews/service.ts";
import { mintQuickActions, mintReviewLink, storeTokens } from "../../reviews/tokens.ts";
import type { RaisedReview, ReviewRequest } from "../nodes/types.ts";
import type { EngineDeps } from "./deps.ts";

type Source = { workflowId: string; executionId: string; nodeId: string };

/**
 * A review node's review. Run again (after a crash), it finds the review raised the first
 * time and notifies nobody. Otherwise the review's id and links are chosen first, `notify`
 * sends them, and only then are the review, its links and its `review.created` event stored,
 * in one transaction: a notification that fails (or a node that times out meanwhile) leaves
 * nothing behind — the links it may already have sent lead nowhere.
 */
export async function raiseReview(
  deps: Pick<EngineDeps, "db" | "baseUrl" | "reviewMaxSeconds" | "webhooks">,
  ctx: MemberContext,
  source: Source,
  request: ReviewRequest,
  notify: (raised: RaisedReview) => Promise<void>,
  signal: AbortSignal,
): Promise<RaisedReview> {
  const { publicLink, quickActionsFor, ...review } = request;
  authorizeReviewNode(ctx, {
    nodeId: source.nodeId,
    notifies: publicLink || quickActionsFor.length > 0,
  });
  const limits = { maxSeconds: deps.reviewMaxSeconds, queue: deps.webhooks };
  checkLifetime(review, limits);
  const existing = await withTenant(deps.db, ctx.orgId, async (tx) => {
    const found = await tx.query.reviewRequest.findFirst({
      where: (r, { and, eq }) =>
        and(
          eq(r.organizationId, ctx.orgId),
          eq(r.executionId, source.executionId),
          eq(r.nodeId, source.nodeId),
        ),
    });
    if (!found) await checkAssignees(tx, ctx.orgId, review.assignees);
    return found;
  });
  if (existing) {
    return {
      reviewId: existing.id,
      expiresAt: existing.expiresAt,
      created: false,
      quickActions: {},
    };
  }

  const preset = {
    id: randomUUID(),
    expiresAt: new Date(Date.now() + review.expiresInSeconds * 1000),
  };
  const at = {
    orgId: ctx.orgId,
    reviewId: preset.id,
    reviewExpiresAt: preset.expiresAt,
    baseUrl: deps.baseUrl,
  };
  const link = publicLink ? mintReviewLink(at) : undefined;
  const quick = quickActionsFor.map(
    (recipient) => [recipient, mintQuickActions(at, recipient)] as const,
  );
  const raised: RaisedReview = {
    reviewId: preset.id,
    expiresAt: preset.expiresAt,
    created: true,
    quickActions: Object.fromEntries(quick.map(([recipient, minted]) => [recipient, minted.links])),
    ...(link && { linkUrl: link.url }),
  };
  await notify(raised);
  signal.throwIfAborted();

  return withTenant(deps.db, ctx.orgId, async (tx) => {
    const created = await insertReview(tx, ctx, { ...review, source, preset }, limits);
    // another run stored this node's review meanwhile: what was just sent leads nowhere
    if (!created.created) {
      return {
        reviewId: created.id,
        expiresAt: created.expiresAt,
        created: false,
        quickActions: {},
      };
    }
    await storeTokens(tx, {
      links: link ? [link.row] : [],
      quickActions: quick.flatMap(([, minted]) => minted.rows),
    });
    signal.throwIfAborted();
    return raised;
  });
}
