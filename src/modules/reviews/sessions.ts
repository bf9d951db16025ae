import { randomUUID } from "node:crypto";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { reviewSession } from "../../db/schema/index.ts";
import { hashToken, newToken } from "../../lib/tokens.ts";

/** Long enough to read a review and decide, short enough that a stolen cookie soon dies. */
export const SESSION_SECONDS = 30 * 60;

/** What a session is bound to: one review, through one link or one quick action. */
export interface SessionScope {
  orgId: string;
  reviewId: string;
  grant: { kind: "link" | "quick_action"; id: string };
}

const grantColumn = (scope: SessionScope) =>
  scope.grant.kind === "link"
    ? eq(reviewSession.linkId, scope.grant.id)
    : eq(reviewSession.quickActionId, scope.grant.id);

/**
 * Opens a review session: a random cookie value and a random CSRF token for the form, both
 * stored only as SHA-256. Returns the raw values once, for the response.
 */
export async function openSession(tx: Tx, scope: SessionScope) {
  // housekeeping: this review's dead sessions go whenever a new one opens
  await tx
    .delete(reviewSession)
    .where(
      and(
        eq(reviewSession.organizationId, scope.orgId),
        eq(reviewSession.reviewId, scope.reviewId),
        lte(reviewSession.expiresAt, sql`now()`),
      ),
    );
  const id = randomUUID();
  const token = newToken();
  const csrf = newToken();
  await tx.insert(reviewSession).values({
    id,
    organizationId: scope.orgId,
    reviewId: scope.reviewId,
    linkId: scope.grant.kind === "link" ? scope.grant.id : null,
    quickActionId: scope.grant.kind === "quick_action" ? scope.grant.id : null,
    tokenHash: hashToken(token),
    csrfHash: hashToken(csrf),
    expiresAt: new Date(Date.now() + SESSION_SECONDS * 1000),
  });
  return { id, token, csrf, maxAgeSeconds: SESSION_SECONDS };
}

/**
 * The live session whose cookie value AND form token both match, bound to exactly this
 * review and grant; undefined otherwise. Compared by hash lookup, never by `===` on secrets.
 */
export async function findSession(
  tx: Tx,
  scope: SessionScope,
  presented: { token: string | undefined; csrf: string | undefined },
) {
  if (!presented.token || !presented.csrf) return undefined;
  const [row] = await tx
    .select({ id: reviewSession.id })
    .from(reviewSession)
    .where(
      and(
        eq(reviewSession.tokenHash, hashToken(presented.token)),
        eq(reviewSession.csrfHash, hashToken(presented.csrf)),
        eq(reviewSession.organizationId, scope.orgId),
        eq(reviewSession.reviewId, scope.reviewId),
        grantColumn(scope),
        gt(reviewSession.expiresAt, sql`now()`),
      ),
    );
  return row;
}
