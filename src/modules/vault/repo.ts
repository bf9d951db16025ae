import { and, asc, eq, ne, sql } from "drizzle-orm";
import { viewableAssets } from "../../access/asset-filter.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { credential, credentialGrant } from "../../db/schema/index.ts";

/** Everything about a credential except its ciphertext. */
const metadata = {
  id: credential.id,
  name: credential.name,
  type: credential.type,
  settings: credential.settings,
  secretFields: credential.secretFields,
  sharingMode: credential.sharingMode,
  defaultLevel: credential.defaultLevel,
  createdBy: credential.createdBy,
  updatedBy: credential.updatedBy,
  createdAt: credential.createdAt,
  updatedAt: credential.updatedAt,
  lastUsedAt: credential.lastUsedAt,
};

export type CredentialMetadata = Awaited<ReturnType<typeof findMetadata>>;

/** The credentials the member may view, each with the member's own grant level (if any). */
export function listViewable(db: Queryable, ctx: MemberContext) {
  return db
    .select({ ...metadata, grantLevel: credentialGrant.level })
    .from(credential)
    .leftJoin(
      credentialGrant,
      and(eq(credentialGrant.assetId, credential.id), eq(credentialGrant.memberId, ctx.memberId)),
    )
    .where(viewableAssets(ctx, "credential", credential, credentialGrant))
    .orderBy(asc(credential.name));
}

export async function findMetadata(db: Queryable, ctx: MemberContext, id: string) {
  const [row] = await db
    .select(metadata)
    .from(credential)
    .where(and(eq(credential.organizationId, ctx.orgId), eq(credential.id, id)));
  return row;
}

/** The stored row with its ciphertext, for the vault's own decrypting functions only. */
export async function findSealed(db: Queryable, ctx: MemberContext, id: string) {
  const [row] = await db
    .select()
    .from(credential)
    .where(and(eq(credential.organizationId, ctx.orgId), eq(credential.id, id)));
  return row;
}

export async function insert(tx: Tx, values: typeof credential.$inferInsert) {
  await tx.insert(credential).values(values);
}

export async function update(
  tx: Tx,
  ctx: MemberContext,
  id: string,
  changes: Partial<typeof credential.$inferInsert>,
) {
  await tx
    .update(credential)
    .set({ ...changes, updatedBy: ctx.userId, updatedAt: new Date() })
    .where(and(eq(credential.organizationId, ctx.orgId), eq(credential.id, id)));
}

export async function markUsed(tx: Tx, ctx: MemberContext, id: string) {
  await tx
    .update(credential)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(credential.organizationId, ctx.orgId), eq(credential.id, id)));
}

export async function remove(tx: Tx, ctx: MemberContext, id: string) {
  await tx
    .delete(credential)
    .where(and(eq(credential.organizationId, ctx.orgId), eq(credential.id, id)));
}

/** Rotation: a batch of credentials (any org) not yet under the active key. */
export function findNotUnderKey(db: Queryable, activeKeyId: string, limit: number) {
  return db
    .select({
      id: credential.id,
      organizationId: credential.organizationId,
      type: credential.type,
      envelope: credential.secretEnvelope,
    })
    .from(credential)
    .where(ne(credential.keyId, activeKeyId))
    .orderBy(asc(credential.id))
    .limit(limit);
}

/** Replaces the envelope only if nobody changed it meanwhile; false means "skip, retry later". */
export async function swapEnvelope(
  tx: Tx,
  row: { id: string; organizationId: string; envelope: string },
  next: { secretEnvelope: string; keyId: string },
): Promise<boolean> {
  const updated = await tx
    .update(credential)
    .set(next)
    .where(
      and(
        eq(credential.organizationId, row.organizationId),
        eq(credential.id, row.id),
        eq(credential.secretEnvelope, row.envelope),
      ),
    )
    .returning({ id: credential.id });
  return updated.length === 1;
}

/** Status: how many credentials each key id holds. */
export function countByKey(db: Queryable) {
  return db
    .select({ keyId: credential.keyId, rows: sql<number>`count(*)::int` })
    .from(credential)
    .groupBy(credential.keyId);
}
