import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize, authorizeListing, isAllowed, mayHoldGrants } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import { withTenant } from "../../db/tenant.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { authorizeAsset } from "../sharing/authorize-asset.ts";
import { upsertGrant } from "../sharing/repo.ts";
import { decryptSecret, encryptSecret, envelopeKeyId } from "./crypto.ts";
import { credentialInputs } from "./inputs.ts";
import type { Keyring } from "./keyring.ts";
import * as repo from "./repo.ts";
import { getCredentialType, parseCredential } from "./types/index.ts";

export interface VaultDeps {
  keyring: Keyring;
}

/** Names of the secret fields holding a value: shown in the UI, never the values. */
const setFields = (secret: Record<string, unknown>) =>
  Object.keys(secret)
    .filter((k) => secret[k] !== undefined && secret[k] !== null)
    .sort();

function seal(
  deps: VaultDeps,
  binding: { orgId: string; credentialId: string; credentialType: string },
  secret: Record<string, unknown>,
) {
  const secretEnvelope = encryptSecret(deps.keyring, binding, secret);
  return { secretEnvelope, keyId: envelopeKeyId(secretEnvelope), secretFields: setFields(secret) };
}

/** Secret fields are write-only: this returns metadata, and the creator becomes an editor. */
export function createCredential(
  deps: VaultDeps,
  ctx: MemberContext,
  input: z.input<typeof credentialInputs.create>,
) {
  authorize(ctx, "credential:create");
  const { name, type: typeId, settings, secret } = credentialInputs.create.parse(input);
  const type = getCredentialType(typeId);
  const parsed = asFields(parseCredential(type, { settings, secret }));
  const id = randomUUID();
  const sealed = seal(
    deps,
    { orgId: ctx.orgId, credentialId: id, credentialType: type.id },
    parsed.secret,
  );
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await repo.insert(tx, {
      id,
      organizationId: ctx.orgId,
      name,
      type: type.id,
      settings: parsed.settings,
      ...sealed,
      defaultLevel: "use",
      createdBy: ctx.userId,
      updatedBy: ctx.userId,
    });
    if (mayHoldGrants(ctx.role)) {
      await upsertGrant(tx, ctx, "credential", {
        assetId: id,
        memberId: ctx.memberId,
        level: "edit",
      });
    }
    await recordAudit(tx, ctx, {
      action: "credential.created",
      targetType: "credential",
      targetId: id,
      metadata: { name, type: type.id, secretFields: sealed.secretFields },
    });
    return repo.findMetadata(tx, ctx, id);
  });
}

/** The credentials the member may view; `canUse` says whether they may also use each one in a node. */
export function listCredentials(ctx: MemberContext) {
  authorizeListing(ctx, "credential:view");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const rows = await repo.listViewable(tx, ctx);
    return rows.map(({ grantLevel, ...row }) => ({
      ...row,
      canUse: isAllowed(ctx, "credential:use", {
        type: "credential",
        id: row.id,
        orgId: ctx.orgId,
        mode: row.sharingMode,
        defaultLevel: row.defaultLevel,
        grantLevel,
      }),
    }));
  });
}

export function getCredential(ctx: MemberContext, input: z.input<typeof credentialInputs.id>) {
  const { credentialId } = credentialInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, "credential", credentialId, "view");
    return repo.findMetadata(tx, ctx, credentialId);
  });
}

/**
 * Replaces only what is sent, field by field in settings and secret: an omitted field keeps
 * its value, one sent as null is removed. The stored secret is decrypted here,
 * inside the vault, only to merge and re-validate it; it is never returned.
 */
export function updateCredential(
  deps: VaultDeps,
  ctx: MemberContext,
  input: z.input<typeof credentialInputs.update>,
) {
  const { credentialId, name, settings, secret } = credentialInputs.update.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, "credential", credentialId, "edit");
    const row = await repo.findSealed(tx, ctx, credentialId);
    if (!row) throw notFound("Credential");
    const changes: Parameters<typeof repo.update>[3] = {};
    if (name !== undefined) changes.name = name;
    if (settings !== undefined || secret !== undefined) {
      const binding = { orgId: ctx.orgId, credentialId, credentialType: row.type };
      const merged = asFields(
        parseCredential(getCredentialType(row.type), {
          settings: withoutNulls({ ...row.settings, ...settings }),
          secret: withoutNulls({
            ...decryptSecret(deps.keyring, binding, row.secretEnvelope),
            ...secret,
          }),
        }),
      );
      Object.assign(changes, { settings: merged.settings, ...seal(deps, binding, merged.secret) });
    }
    await repo.update(tx, ctx, credentialId, changes);
    await recordAudit(tx, ctx, {
      action: "credential.updated",
      targetType: "credential",
      targetId: credentialId,
      metadata: {
        fields: [
          ...(name !== undefined ? ["name"] : []),
          ...Object.keys(settings ?? {}).map((f) => `settings.${f}`),
          ...Object.keys(secret ?? {}).map((f) => `secret.${f}`),
        ],
      },
    });
    return repo.findMetadata(tx, ctx, credentialId);
  });
}

/** Every credential type's halves are (strict) objects. */
const asFields = (v: { settings: unknown; secret: unknown }) =>
  v as { settings: Record<string, unknown>; secret: Record<string, unknown> };

const withoutNulls = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export function deleteCredential(ctx: MemberContext, input: z.input<typeof credentialInputs.id>) {
  const { credentialId } = credentialInputs.id.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, "credential", credentialId, "delete");
    const found = await repo.findMetadata(tx, ctx, credentialId);
    await repo.remove(tx, ctx, credentialId);
    await recordAudit(tx, ctx, {
      action: "credential.deleted",
      targetType: "credential",
      targetId: credentialId,
      metadata: { name: found?.name, type: found?.type },
    });
    return { credentialId };
  });
}
