import { z } from "zod";
import { isAllowed, mayHoldGrants } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import { type Action, type AssetLevel, assetLevels, statements } from "../../access/statements.ts";
import { withTenant } from "../../db/tenant.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { findMember } from "../orgs/repo.ts";
import { type ShareableType, shareableTypes } from "./assets.ts";
import { authorizeAsset } from "./authorize-asset.ts";
import * as repo from "./repo.ts";

const assetRef = z.strictObject({ assetType: z.enum(shareableTypes), assetId: z.string().min(1) });
const level = z.enum(["view", "use", "edit"]);
export const sharingInputs = {
  asset: assetRef,
  setMode: assetRef.extend({ mode: z.enum(["shared", "restricted"]), defaultLevel: level }),
  grant: assetRef.extend({ memberId: z.string().min(1), level }),
  revoke: assetRef.extend({ memberId: z.string().min(1) }),
};

function assertLevelFits(type: ShareableType, value: AssetLevel, field: string) {
  const valid = Object.keys(assetLevels[type]);
  if (!valid.includes(value)) {
    throw badRequest(`${field} for a ${type} must be one of ${valid.join(", ")}`, field);
  }
}

export function getSharing(ctx: MemberContext, input: z.input<typeof assetRef>) {
  const { assetType, assetId } = assetRef.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const asset = await authorizeAsset(tx, ctx, assetType, assetId, "view");
    return {
      mode: asset.mode,
      defaultLevel: asset.defaultLevel,
      grants: await repo.listGrants(tx, ctx, assetType, assetId),
    };
  });
}

export function setSharingMode(ctx: MemberContext, input: z.input<typeof sharingInputs.setMode>) {
  const { assetType, assetId, mode, defaultLevel } = sharingInputs.setMode.parse(input);
  assertLevelFits(assetType, defaultLevel, "defaultLevel");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const asset = await authorizeAsset(tx, ctx, assetType, assetId, "share");
    await repo.setSharingMode(tx, ctx, assetType, assetId, { mode, defaultLevel });
    await recordAudit(tx, ctx, {
      action: `${assetType}.sharing_changed`,
      targetType: assetType,
      targetId: assetId,
      metadata: {
        before: { mode: asset.mode, defaultLevel: asset.defaultLevel },
        after: { mode, defaultLevel },
      },
    });
    return { mode, defaultLevel };
  });
}

export function grantAccess(ctx: MemberContext, input: z.input<typeof sharingInputs.grant>) {
  const { assetType, assetId, memberId, level: granted } = sharingInputs.grant.parse(input);
  assertLevelFits(assetType, granted, "level");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, assetType, assetId, "share");
    const target = await findMember(tx, ctx.orgId, memberId);
    if (!target) throw notFound("Member");
    if (!mayHoldGrants(target.role)) {
      throw badRequest(`A ${target.role} cannot be granted access to a ${assetType}`, "memberId");
    }
    const before = await repo.findGrantLevel(tx, ctx, assetType, assetId, memberId);
    await repo.upsertGrant(tx, ctx, assetType, { assetId, memberId, level: granted });
    await recordAudit(tx, ctx, {
      action: `${assetType}.access_granted`,
      targetType: assetType,
      targetId: assetId,
      metadata: { memberId, before, after: granted },
    });
    return { memberId, level: granted };
  });
}

export function revokeAccess(ctx: MemberContext, input: z.input<typeof sharingInputs.revoke>) {
  const { assetType, assetId, memberId } = sharingInputs.revoke.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, assetType, assetId, "share");
    const before = await repo.findGrantLevel(tx, ctx, assetType, assetId, memberId);
    if (!(await repo.deleteGrant(tx, ctx, assetType, assetId, memberId))) throw notFound("Grant");
    await recordAudit(tx, ctx, {
      action: `${assetType}.access_revoked`,
      targetType: assetType,
      targetId: assetId,
      metadata: { memberId, before, after: null },
    });
    return { memberId };
  });
}

/** What the member may do on one asset, for the UI to hide what it cannot do. */
export function assetPermissions(ctx: MemberContext, input: z.input<typeof assetRef>) {
  const { assetType, assetId } = assetRef.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const asset = await authorizeAsset(tx, ctx, assetType, assetId, "view");
    const assetVerbs = new Set<string>(Object.values(assetLevels[assetType]).flat());
    const actions = statements[assetType]
      .filter((verb) => assetVerbs.has(verb))
      .map((verb) => `${assetType}:${verb}` as Action);
    return { actions: actions.filter((action) => isAllowed(ctx, action, asset)) };
  });
}
