import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/client.ts";
import { reviewLink, reviewQuickAction } from "../../db/schema/index.ts";
import { hashToken } from "../../lib/tokens.ts";

/**
 * What a public token grants: one review of one organization, through a link (several
 * decisions up to max_uses, anyone naming themselves) or a quick action (one decision, fixed).
 */
export interface Grant {
  kind: "link" | "quick_action";
  id: string;
  orgId: string;
  reviewId: string;
  /** Revoked or past its expiry: nothing can be done with it any more. */
  dead: boolean;
  action?: "approved" | "rejected";
  recipient?: string | null;
}

/** Tokens are 32 random bytes in base64url; anything else is not worth a query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Global lookup by the token's SHA-256 (the token names the organization; there is none to
 * scope to yet). Callers continue inside `withTenant` for the grant's own organization.
 */
export async function findGrant(
  db: Db,
  kind: Grant["kind"],
  token: string,
): Promise<Grant | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const tokenHash = hashToken(token);
  if (kind === "link") {
    const [row] = await db
      .select({
        id: reviewLink.id,
        orgId: reviewLink.organizationId,
        reviewId: reviewLink.reviewId,
        dead: sql<boolean>`${reviewLink.revokedAt} is not null or ${reviewLink.expiresAt} <= now()`,
      })
      .from(reviewLink)
      .where(eq(reviewLink.tokenHash, tokenHash));
    return row && { kind, ...row };
  }
  const [row] = await db
    .select({
      id: reviewQuickAction.id,
      orgId: reviewQuickAction.organizationId,
      reviewId: reviewQuickAction.reviewId,
      action: reviewQuickAction.action,
      recipient: reviewQuickAction.recipient,
      dead: sql<boolean>`${reviewQuickAction.expiresAt} <= now()`,
    })
    .from(reviewQuickAction)
    .where(eq(reviewQuickAction.tokenHash, tokenHash));
  return row && { kind, ...row };
}

const linkUsable = (grant: Grant) =>
  and(
    eq(reviewLink.organizationId, grant.orgId),
    eq(reviewLink.id, grant.id),
    isNull(reviewLink.revokedAt),
    gt(reviewLink.expiresAt, sql`now()`),
    lt(reviewLink.decisions, reviewLink.maxUses),
  );

const quickActionUsable = (grant: Grant) =>
  and(
    eq(reviewQuickAction.organizationId, grant.orgId),
    eq(reviewQuickAction.id, grant.id),
    isNull(reviewQuickAction.usedAt),
    gt(reviewQuickAction.expiresAt, sql`now()`),
  );

/** Counts a view when the grant can still decide; false when it is used up or dead. */
export async function markViewed(tx: Tx, grant: Grant): Promise<boolean> {
  if (grant.kind === "link") {
    const rows = await tx
      .update(reviewLink)
      .set({ views: sql`${reviewLink.views} + 1`, lastUsedAt: sql`now()` })
      .where(linkUsable(grant))
      .returning({ id: reviewLink.id });
    return rows.length > 0;
  }
  const rows = await tx
    .select({ id: reviewQuickAction.id })
    .from(reviewQuickAction)
    .where(quickActionUsable(grant));
  return rows.length > 0;
}

/**
 * Spends one use, conditionally: a link below max_uses, a quick action never used. The row
 * lock this update takes makes concurrent spenders queue, so uses can never exceed the cap.
 */
export async function spendUse(tx: Tx, grant: Grant): Promise<boolean> {
  if (grant.kind === "link") {
    const rows = await tx
      .update(reviewLink)
      .set({ decisions: sql`${reviewLink.decisions} + 1`, lastUsedAt: sql`now()` })
      .where(linkUsable(grant))
      .returning({ id: reviewLink.id });
    return rows.length > 0;
  }
  const rows = await tx
    .update(reviewQuickAction)
    .set({ usedAt: sql`now()` })
    .where(quickActionUsable(grant))
    .returning({ id: reviewQuickAction.id });
  return rows.length > 0;
}
