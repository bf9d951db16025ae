import type { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { recordAudit, recordSecurityEvent } from "../audit/record.ts";
import { deleteOrganizationInput, memberIdInput, updateOrganizationInput } from "./inputs.ts";
import { lockAndReloadActor } from "./members.ts";
import * as repo from "./repo.ts";

export function updateOrganization(
  ctx: MemberContext,
  input: z.input<typeof updateOrganizationInput>,
) {
  authorize(ctx, "org:update");
  const { name } = updateOrganizationInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const before = await repo.findOrganization(tx, ctx.orgId);
    if (!before) throw notFound("Organization");
    await repo.renameOrganization(tx, ctx.orgId, name);
    await recordAudit(tx, ctx, {
      action: "org.updated",
      targetType: "organization",
      targetId: ctx.orgId,
      metadata: { before: { name: before.name }, after: { name } },
    });
    return { ...before, name };
  });
}

/**
 * Hands the OWNER role to another member and steps the caller down to ADMIN, in one
 * transaction, so the organization is never without an OWNER.
 */
export function transferOwnership(ctx: MemberContext, input: z.input<typeof memberIdInput>) {
  authorize(ctx, "org:transfer");
  const { memberId } = memberIdInput.parse(input);
  if (memberId === ctx.memberId) throw badRequest("You already own this organization", "memberId");
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    authorize(await lockAndReloadActor(tx, ctx), "org:transfer");
    const target = await repo.findMember(tx, ctx.orgId, memberId);
    if (!target) throw notFound("Member");
    await repo.updateMemberRole(tx, ctx.orgId, memberId, "OWNER");
    await repo.updateMemberRole(tx, ctx.orgId, ctx.memberId, "ADMIN");
    await recordAudit(tx, ctx, {
      action: "org.ownership_transferred",
      targetType: "member",
      targetId: memberId,
      metadata: {
        to: { memberId, before: target.role, after: "OWNER" },
        from: { memberId: ctx.memberId, before: ctx.role, after: "ADMIN" },
      },
    });
    return { ownerMemberId: memberId };
  });
}

/**
 * Deletes the organization and everything it owns. The tenant audit trail goes with it, so
 * the deletion is recorded as a user-level security event.
 */
export function deleteOrganization(
  ctx: MemberContext,
  input: z.input<typeof deleteOrganizationInput>,
) {
  authorize(ctx, "org:delete");
  const { confirmSlug } = deleteOrganizationInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const org = await repo.findOrganization(tx, ctx.orgId);
    if (!org) throw notFound("Organization");
    if (org.slug !== confirmSlug) {
      throw new AppError("BAD_REQUEST", "confirmSlug does not match the organization's slug", {
        field: "confirmSlug",
      });
    }
    await repo.clearActiveOrganizationForAll(tx, ctx.orgId);
    await repo.deleteOrganization(tx, ctx.orgId);
    await recordSecurityEvent(
      tx,
      {
        userId: ctx.userId,
        action: "org.deleted",
        metadata: { organizationId: org.id, name: org.name, slug: org.slug },
      },
      ctx.meta,
    );
    return { deleted: org.id };
  });
}
