import { eq } from "drizzle-orm";
import type { KeyContext, RequestMeta } from "../../access/context.ts";
import type { ApiScope } from "../../access/statements.ts";
import type { Db } from "../../db/client.ts";
import { apiKey } from "../../db/schema/index.ts";
import { hashToken } from "../../lib/tokens.ts";
import { isWellFormedApiKey } from "./format.ts";

/**
 * Turns a presented key into the access context of its own organization, or undefined for a
 * malformed (no query), unknown, revoked or expired key — callers answer all of them alike.
 * One indexed lookup by hash and no write: revocation holds on the next request everywhere.
 */
export async function verifyApiKey(
  db: Db,
  presented: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<KeyContext | undefined> {
  if (!isWellFormedApiKey(presented)) return undefined;
  const [key] = await db
    .select({
      id: apiKey.id,
      orgId: apiKey.organizationId,
      name: apiKey.name,
      prefix: apiKey.prefix,
      scopes: apiKey.scopes,
      expiresAt: apiKey.expiresAt,
      revokedAt: apiKey.revokedAt,
    })
    .from(apiKey)
    .where(eq(apiKey.keyHash, hashToken(presented)));
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return undefined;
  return {
    db,
    meta,
    orgId: key.orgId,
    actor: {
      kind: "apiKey",
      keyId: key.id,
      label: `${key.name} (${key.prefix})`,
      scopes: key.scopes as ApiScope[],
    },
  };
}
