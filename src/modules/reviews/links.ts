import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { isKeyContext, type OrgContext } from "../../access/context.ts";
import { reviewLink } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { authorizedReview } from "./authorized.ts";
import { MAX_LINK_USES, MAX_REVIEW_SECONDS, MIN_LINK_SECONDS } from "./limits.ts";
import * as repo from "./repo.ts";
import { issueReviewLink } from "./tokens.ts";

export const linkInputs = {
  create: z.strictObject({
    reviewId: z.string().min(1),
    expiresInSeconds: z.number().int().min(MIN_LINK_SECONDS).max(MAX_REVIEW_SECONDS).optional(),
    maxUses: z.number().int().min(1).max(MAX_LINK_USES).default(1),
  }),
  revoke: z.strictObject({ reviewId: z.string().min(1), linkId: z.string().min(1) }),
};

/** A new public link for a pending review; its URL is returned here and never again. */
export function createReviewLink(
  ctx: OrgContext,
  baseUrl: string,
  input: z.input<typeof linkInputs.create>,
) {
  const { reviewId, expiresInSeconds, maxUses } = linkInputs.create.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const review = await authorizedReview(tx, ctx, reviewId, "review:link");
    if (review.status !== "pending") {
      throw new AppError("CONFLICT", `This review is already ${review.status}`);
    }
    const link = await issueReviewLink(
      tx,
      { orgId: ctx.orgId, reviewId, reviewExpiresAt: review.expiresAt, baseUrl },
      {
        maxUses,
        createdBy: memberIdOf(ctx),
        ...(expiresInSeconds && { expiresAt: new Date(Date.now() + expiresInSeconds * 1000) }),
      },
    );
    await repo.addActivity(
      tx,
      ctx.orgId,
      reviewId,
      {
        kind: "link_created",
        ...actedBy(ctx),
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
export function revokeReviewLink(ctx: OrgContext, input: z.input<typeof linkInputs.revoke>) {
  const { reviewId, linkId } = linkInputs.revoke.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedReview(tx, ctx, reviewId, "review:link");
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
      { kind: "link_revoked", ...actedBy(ctx), linkId },
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

const memberIdOf = (ctx: OrgContext) => (isKeyContext(ctx) ? undefined : ctx.memberId);

/** Who an activity entry names: a member in the app, or an API key under its label. */
const actedBy = (ctx: OrgContext) =>
  isKeyContext(ctx)
    ? ({ channel: "api", label: ctx.actor.label } as const)
    : ({ channel: "app", memberId: ctx.memberId } as const);
