import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { hashToken } from "../../lib/tokens.ts";
import { recordAudit } from "../audit/record.ts";
import { displayPrefix, generateApiKey } from "./format.ts";
import { apiKeyInputs, type CreateApiKeyInput, MAX_KEY_SECONDS } from "./inputs.ts";
import type { ApiKeyRow } from "./repo.ts";
import * as repo from "./repo.ts";

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** A key as management screens show it: never the key itself, never its hash. */
export type ListedApiKey = ApiKeyRow & { status: ApiKeyStatus };

/** A freshly issued key: `key` is returned this once and cannot be shown again. */
export type IssuedApiKey = ListedApiKey & { key: string };

const statusOf = (row: ApiKeyRow, now: Date): ApiKeyStatus =>
  row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active";

const listed = (row: ApiKeyRow, now = new Date()): ListedApiKey => ({
  ...row,
  status: statusOf(row, now),
});

/** Issues a key for the organization (OWNER and ADMIN); the full key is in this answer only. */
export function createApiKey(ctx: MemberContext, input: CreateApiKeyInput): Promise<IssuedApiKey> {
  authorize(ctx, "apiKey:manage");
  const parsed = apiKeyInputs.create.parse(input);
  const expiresAt = expiryOf(parsed);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const issued = await issue(tx, ctx, { name: parsed.name, scopes: parsed.scopes, expiresAt });
    await recordAudit(tx, ctx, {
      action: "apiKey.created",
      targetType: "apiKey",
      targetId: issued.id,
      metadata: {
        name: issued.name,
        prefix: issued.prefix,
        scopes: issued.scopes,
        expiresAt: issued.expiresAt?.toISOString() ?? null,
      },
    });
    return issued;
  });
}

export function listApiKeys(ctx: MemberContext): Promise<ListedApiKey[]> {
  authorize(ctx, "apiKey:manage");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const now = new Date();
    return (await repo.listKeys(tx, ctx.orgId)).map((row) => listed(row, now));
  });
}

/** Stops a key at once (the row stays for the audit trail); revoking twice is harmless. */
export function revokeApiKey(
  ctx: MemberContext,
  input: z.input<typeof apiKeyInputs.keyId>,
): Promise<ListedApiKey> {
  authorize(ctx, "apiKey:manage");
  const { keyId } = apiKeyInputs.keyId.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const key = await repo.lockKey(tx, ctx.orgId, keyId);
    if (!key) throw notFound("API key");
    if (key.revokedAt) return listed(key);
    const revoked = (await repo.markRevoked(tx, ctx.orgId, keyId, ctx.userId)) ?? key;
    await recordAudit(tx, ctx, {
      action: "apiKey.revoked",
      targetType: "apiKey",
      targetId: keyId,
      metadata: { name: key.name, prefix: key.prefix },
    });
    return listed(revoked);
  });
}

/**
 * Replaces a key with a new one of the same name, scopes and expiry. The old key keeps
 * working for `oldKeyExpiresInSeconds` more (never past its own expiry), so callers can
 * switch over without downtime; 0 stops it at once.
 */
export function rollApiKey(
  ctx: MemberContext,
  input: z.input<typeof apiKeyInputs.roll>,
): Promise<IssuedApiKey> {
  authorize(ctx, "apiKey:manage");
  const { keyId, oldKeyExpiresInSeconds } = apiKeyInputs.roll.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const old = await repo.lockKey(tx, ctx.orgId, keyId);
    if (!old) throw notFound("API key");
    const now = new Date();
    const status = statusOf(old, now);
    if (status !== "active") {
      throw new AppError("CONFLICT", `This API key is ${status}; create a new key instead`);
    }
    const overlapEnd = new Date(now.getTime() + oldKeyExpiresInSeconds * 1000);
    const oldExpiresAt = old.expiresAt && old.expiresAt < overlapEnd ? old.expiresAt : overlapEnd;
    await repo.setExpiry(tx, ctx.orgId, keyId, oldExpiresAt);
    const issued = await issue(tx, ctx, {
      name: old.name,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      rolledFromId: old.id,
    });
    await recordAudit(tx, ctx, {
      action: "apiKey.rolled",
      targetType: "apiKey",
      targetId: issued.id,
      metadata: {
        oldKeyId: old.id,
        newKeyId: issued.id,
        prefix: issued.prefix,
        oldKeyExpiresAt: oldExpiresAt.toISOString(),
      },
    });
    return issued;
  });
}

async function issue(
  tx: Tx,
  ctx: MemberContext,
  fields: { name: string; scopes: string[]; expiresAt: Date | null; rolledFromId?: string },
): Promise<IssuedApiKey> {
  const key = generateApiKey();
  const row = await repo.insertKey(tx, ctx.orgId, {
    ...fields,
    id: randomUUID(),
    keyHash: hashToken(key),
    prefix: displayPrefix(key),
    createdByUserId: ctx.userId,
    createdByLabel: await repo.userLabel(tx, ctx.userId),
  });
  return { ...listed(row), key };
}

function expiryOf(input: z.output<typeof apiKeyInputs.create>): Date | null {
  const now = Date.now();
  if (input.expiresInSeconds) return new Date(now + input.expiresInSeconds * 1000);
  if (!input.expiresAt) return null;
  const seconds = (input.expiresAt.getTime() - now) / 1000;
  if (seconds < 60 || seconds > MAX_KEY_SECONDS) {
    throw badRequest("expiresAt must be between one minute and two years from now", "expiresAt");
  }
  return input.expiresAt;
}
