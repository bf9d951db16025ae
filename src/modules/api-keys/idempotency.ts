import { createHash } from "node:crypto";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { KeyContext } from "../../access/context.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { apiIdempotency } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError } from "../../lib/errors.ts";

/** How long an Idempotency-Key answers with its first resource (as Stripe: 24 hours). */
export const IDEMPOTENCY_WINDOW = "24 hours";
const windowStart = sql`now() - ${IDEMPOTENCY_WINDOW}::interval`;

export interface IdempotentRequest {
  /** The client's `Idempotency-Key` header. */
  idempotencyKey: string;
  /** `requestHash(...)` of what is being asked for. */
  requestHash: string;
  /** The status the first answer had; replays repeat it. */
  status: number;
}

/** SHA-256 of an operation name and its validated input in canonical JSON (sorted keys). */
export function requestHash(operation: string, input: unknown): string {
  return createHash("sha256")
    .update(`${operation}\n${canonicalJson(input)}`)
    .digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Creates a resource at most once per (API key, Idempotency-Key). The key is recorded in the
 * creating transaction, so under concurrency the unique index lets one creation commit; the
 * others roll back (their resource with them) and, retried, find the recorded one. The same
 * key with a different request is a conflict.
 */
export async function runOnce<T extends { id: string }>(
  ctx: KeyContext,
  request: IdempotentRequest,
  create: (tx: Tx) => Promise<T>,
  replay: (tx: Tx, resourceId: string) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  const attempt = () =>
    withTenant(ctx.db, ctx.orgId, async (tx) => {
      const ofKey = and(
        eq(apiIdempotency.organizationId, ctx.orgId),
        eq(apiIdempotency.apiKeyId, ctx.actor.keyId),
        eq(apiIdempotency.idempotencyKey, request.idempotencyKey),
      );
      const [seen] = await tx
        .select()
        .from(apiIdempotency)
        .where(and(ofKey, gt(apiIdempotency.createdAt, windowStart)));
      if (seen) {
        if (seen.requestHash !== request.requestHash) {
          throw new AppError(
            "CONFLICT",
            "This Idempotency-Key was already used with a different request",
            { idempotency_key: request.idempotencyKey },
          );
        }
        return { ...(await replay(tx, seen.resourceId)), replayed: true };
      }
      const created = await create(tx);
      // a record past the window gives way; a fresh one (committed meanwhile) makes the
      // insert below fail, and the retry replays it
      await tx.delete(apiIdempotency).where(and(ofKey, lte(apiIdempotency.createdAt, windowStart)));
      await tx.insert(apiIdempotency).values({
        organizationId: ctx.orgId,
        apiKeyId: ctx.actor.keyId,
        idempotencyKey: request.idempotencyKey,
        requestHash: request.requestHash,
        resourceId: created.id,
        responseStatus: request.status,
      });
      return { ...created, replayed: false };
    });
  try {
    return await attempt();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return attempt();
  }
}

/**
 * Forgets keys past the window, for every organization at once: maintenance on the table
 * owner's connection, like key verification (no tenant is acting).
 */
export async function pruneIdempotencyKeys(db: Queryable): Promise<number> {
  const pruned = await db
    .delete(apiIdempotency)
    .where(lte(apiIdempotency.createdAt, windowStart))
    .returning({ key: apiIdempotency.idempotencyKey });
  return pruned.length;
}
