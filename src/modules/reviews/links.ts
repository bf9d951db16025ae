import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { authorize, isAllowed, isRoutedTo } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { reviewLink } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { loadAssetAccess } from "../sharing/repo.ts";
import { MAX_REVIEW_SECONDS } from "./inputs.ts";
import * as repo from "./repo.ts";
import { issueReviewLink } from "./tokens.ts";

export const linkInputs = {
  create: z.object({
    reviewId: z.string().min(1),
    expiresInSeconds: z.number().int().min(60).max(MAX_REVIEW_SECONDS).optional(),
    maxUses: z.number().int().min(1).max(100).default(1),
  }),
  revoke: z.object({ reviewId: z.string().min(1), linkId: z.string().min(1) }),
};

/**
 * `review:link` on one review, judged on the same facts as service.ts judges every review
 * action (routing, the raising workflow's sharing): a review the member cannot see is 404.
 */
async function reviewToLink(tx: Tx, ctx: MemberContext, reviewId: string) {
  const review = await repo.findReview(tx, ctx.orgId, reviewId);
  if (!review) throw notFound("Review");
  const assignedToMe = await repo.isAssigned(tx, ctx.orgId, review.id, ctx.memberId);
  const workflow = review.workflowId
    ? await loadAssetAccess(tx, ctx, "workflow", review.workflowId)
    : undefined;
  authorize(ctx, "review:link", {
    type: "review",
    orgId: review.row.organizationId,
    routed: isRoutedTo(ctx, { anyReviewer: review.anyReviewer, assignedToMe }),
    viaWorkflow: workflow !== undefined && isAllowed(ctx, "workflow:view", workflow),
  });
  return review;
}

/** A new public link for a pending review; its URL is returned here and never again. */
export function createReviewLink(
  ctx: MemberContext,
  baseUrl: string,
  input: z.input<typeof linkInputs.create>,
) {
  const { reviewId, expiresInSeconds, maxUses } = linkInputs.create.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const review = await reviewToLink(tx, ctx, reviewId);
    if (review.status !== "pending") {
      throw new AppError("CONFLICT", `This review is already ${review.status}`);
    }
    const link = await issueReviewLink(
      tx,
      { orgId: ctx.orgId, reviewId, reviewExpiresAt: review.expiresAt, baseUrl },
      {
        maxUses,
        createdBy: ctx.memberId,
        ...(expiresInSeconds && { expiresAt: new Date(Date.now() + expiresInSeconds * 1000) }),
      },
    );
    await repo.addActivity(
      tx,
      ctx.orgId,
      reviewId,
      {
        kind: "link_created",
        channel: "app",
        memberId: ctx.memberId,
        linkId: link.id,
        detail: { expiresAt: link.expiresAt.toISOString(), maxUses },
      },
      ctx.meta,
    );
    await recordAudit(tx, ctx, {
      action: "review.link_created",
      targetType: "review",
      targetId: reviewId,
      metadata: { linkId: link.id, maxUses, expiresAt: link.expiresAt.toISOString() },
    });
    return link;
  });
}

/** Revokes a link of the review; revoking twice is harmless. */
export function revokeReviewLink(ctx: MemberContext, input: z.input<typeof linkInputs.revoke>) {
  const { reviewId, linkId } = linkInputs.revoke.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await reviewToLink(tx, ctx, reviewId);
    const ofReview = and(
      eq(reviewLink.organizationId, ctx.orgId),
      eq(reviewLink.reviewId, reviewId),
      eq(reviewLink.id, linkId),
    );
    const [link] = await tx
      .select({ revokedAt: reviewLink.revokedAt })
      .from(reviewLink)
      .where(ofReview);
    if (!link) throw notFound("Link");
    if (link.revokedAt) return { linkId, revokedAt: link.revokedAt };
    const [revoked] = await tx
      .update(reviewLink)
      .set({ revokedAt: new Date() })
      .where(and(ofReview, isNull(reviewLink.revokedAt)))
      .returning({ revokedAt: reviewLink.revokedAt });
    await repo.addActivity(
      tx,
      ctx.orgId,
      reviewId,
      { kind: "link_revoked", channel: "app", memberId: ctx.memberId, linkId },
      ctx.meta,
    );
    await recordAudit(tx, ctx, {
      action: "review.link_revoked",
      targetType: "review",
      targetId: reviewId,
      metadata: { linkId },
    });
    return { linkId, revokedAt: revoked?.revokedAt ?? new Date() };
  });
}
