import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { reviewLink, reviewQuickAction } from "../../db/schema/index.ts";
import { hashToken, newToken } from "../../lib/tokens.ts";

type At = { orgId: string; reviewId: string; reviewExpiresAt: Date; baseUrl: string };

/**
 * A public review link, not yet stored: 256 random bits, returned once as a URL, stored only
 * as SHA-256 (`row`). It cannot outlive the review.
 */
export function mintReviewLink(
  at: At,
  options: { expiresAt?: Date; maxUses?: number; createdBy?: string } = {},
) {
  const token = newToken();
  const id = randomUUID();
  const expiresAt =
    options.expiresAt && options.expiresAt < at.reviewExpiresAt
      ? options.expiresAt
      : at.reviewExpiresAt;
  const maxUses = options.maxUses ?? 1;
  const row = {
    id,
    organizationId: at.orgId,
    reviewId: at.reviewId,
    tokenHash: hashToken(token),
    expiresAt,
    maxUses,
    createdBy: options.createdBy ?? null,
  } satisfies typeof reviewLink.$inferInsert;
  return { id, url: `${at.baseUrl}/r/${token}`, expiresAt, maxUses, row };
}

/** One single-use approve link and one reject link for `recipient`, not yet stored. */
export function mintQuickActions(at: At, recipient: string) {
  const links: Record<"approved" | "rejected", string> = { approved: "", rejected: "" };
  const rows = (["approved", "rejected"] as const).map((action) => {
    const token = newToken();
    links[action] = `${at.baseUrl}/q/${token}`;
    return {
      id: randomUUID(),
      organizationId: at.orgId,
      reviewId: at.reviewId,
      action,
      tokenHash: hashToken(token),
      recipient,
      expiresAt: at.reviewExpiresAt,
    } satisfies typeof reviewQuickAction.$inferInsert;
  });
  return { links, rows };
}

/** Stores minted links and quick actions (their hashes only). */
export async function storeTokens(
  tx: Tx,
  minted: {
    links: ReturnType<typeof mintReviewLink>["row"][];
    quickActions: ReturnType<typeof mintQuickActions>["rows"];
  },
) {
  if (minted.links.length) await tx.insert(reviewLink).values(minted.links);
  if (minted.quickActions.length) await tx.insert(reviewQuickAction).values(minted.quickActions);
}

/** Issues a public review link (see mintReviewLink). */
export async function issueReviewLink(
  tx: Tx,
  at: At,
  options: { expiresAt?: Date; maxUses?: number; createdBy?: string } = {},
) {
  const { row, ...link } = mintReviewLink(at, options);
  await storeTokens(tx, { links: [row], quickActions: [] });
  return link;
}

/** Issues the approve and reject links for a notification to `recipient`. */
export async function issueQuickActions(tx: Tx, at: At, recipient: string) {
  const { links, rows } = mintQuickActions(at, recipient);
  await storeTokens(tx, { links: [], quickActions: rows });
  return links;
}
