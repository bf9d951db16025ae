import { and, desc, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { apiKey, user } from "../../db/schema/index.ts";

/** Every column a management screen may show: never the hash. */
const listedColumns = {
  id: apiKey.id,
  name: apiKey.name,
  prefix: apiKey.prefix,
  scopes: apiKey.scopes,
  createdAt: apiKey.createdAt,
  createdBy: apiKey.createdByLabel,
  expiresAt: apiKey.expiresAt,
  lastUsedAt: apiKey.lastUsedAt,
  lastUsedIp: apiKey.lastUsedIp,
  revokedAt: apiKey.revokedAt,
  rolledFromId: apiKey.rolledFromId,
};

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  rolledFromId: string | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  keyHash: string;
  prefix: string;
  scopes: string[];
  createdByUserId: string;
  createdByLabel: string;
  expiresAt: Date | null;
  rolledFromId?: string;
}

export async function insertKey(tx: Tx, orgId: string, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await tx
    .insert(apiKey)
    .values({ ...key, organizationId: orgId })
    .returning(listedColumns);
  return row as ApiKeyRow;
}

export async function listKeys(tx: Tx, orgId: string): Promise<ApiKeyRow[]> {
  return tx
    .select(listedColumns)
    .from(apiKey)
    .where(eq(apiKey.organizationId, orgId))
    .orderBy(desc(apiKey.createdAt), desc(apiKey.id));
}

/** The key, locked for the rest of the transaction (a roll and a revoke do not interleave). */
export async function lockKey(tx: Tx, orgId: string, keyId: string) {
  const [row] = await tx
    .select(listedColumns)
    .from(apiKey)
    .where(and(eq(apiKey.organizationId, orgId), eq(apiKey.id, keyId)))
    .for("update");
  return row as ApiKeyRow | undefined;
}

export async function markRevoked(tx: Tx, orgId: string, keyId: string, byUserId: string) {
  const [row] = await tx
    .update(apiKey)
    .set({ revokedAt: new Date(), revokedByUserId: byUserId })
    .where(and(eq(apiKey.organizationId, orgId), eq(apiKey.id, keyId), isNull(apiKey.revokedAt)))
    .returning(listedColumns);
  return row as ApiKeyRow | undefined;
}

export async function setExpiry(tx: Tx, orgId: string, keyId: string, expiresAt: Date) {
  await tx
    .update(apiKey)
    .set({ expiresAt })
    .where(and(eq(apiKey.organizationId, orgId), eq(apiKey.id, keyId)));
}

/** "Name <email>": who created a key, kept even after they leave the organization. */
export async function userLabel(tx: Tx, userId: string): Promise<string> {
  const [row] = await tx
    .select({ name: user.name, email: user.email })
    .from(user)
    .where(eq(user.id, userId));
  return row ? `${row.name} <${row.email}>` : userId;
}
