import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { reviewLink, reviewQuickAction } from "../../db/schema/index.ts";
import { hashToken, newToken } from "../../lib/tokens.ts";

/**
 * Issues a public review link: 256 random bits, returned once as a URL, stored only as
 * SHA-256. It cannot outlive the review.
 */
export async function issueReviewLink(
  tx: Tx,
  at: { orgId: string; reviewId: string; reviewExpiresAt: Date; baseUrl: string },
  options: { expiresAt?: Date; maxUses?: number; createdBy?: string } = {},
) {
  const token = newToken();
  const id = randomUUID();
  const expiresAt =
    options.expiresAt && options.expiresAt < at.reviewExpiresAt
      ? options.expiresAt
      : at.reviewExpiresAt;
  await tx.insert(reviewLink).values({
    id,
    organizationId: at.orgId,
    reviewId: at.reviewId,
    tokenHash: hashToken(token),
    expiresAt,
    maxUses: options.maxUses ?? 1,
    createdBy: options.createdBy ?? null,
  });
  return { id, url: `${at.baseUrl}/r/${token}`, expiresAt, maxUses: options.maxUses ?? 1 };
}

/** One single-use approve link and one reject link, for a notification to `recipient`. */
export async function issueQuickActions(
  tx: Tx,
  at: { orgId: string; reviewId: string; reviewExpiresAt: Date; baseUrl: string },
  recipient: string,
) {
  const links: Record<"approved" | "rejected", string> = { approved: "", rejected: "" };
  for (const action of ["approved", "rejected"] as const) {
    const token = newToken();
    await tx.insert(reviewQuickAction).values({
      id: randomUUID(),
      organizationId: at.orgId,
      reviewId: at.reviewId,
      action,
      tokenHash: hashToken(token),
      recipient,
      expiresAt: at.reviewExpiresAt,
    });
    links[action] = `${at.baseUrl}/q/${token}`;
  }
  return links;
}
