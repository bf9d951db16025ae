import type { z } from "zod";
import {
  assertMayManageRole,
  authorize,
  isOwnerRole,
  mayHoldGrants,
} from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, forbidden, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { deleteAllGrantsOf } from "../sharing/repo.ts";
import { memberIdInput, updateRoleInput } from "./inputs.ts";
import * as repo from "./repo.ts";

export async function listMembers(ctx: MemberContext) {
  authorize(ctx, "member:view");
  return repo.listMembers(ctx.db, ctx.orgId);
}

/**
 * Starts every membership change: locks the org's OWNER rows (so changes in one org run one
 * at a time) and re-reads the acting member under that lock. The context was loaded before
 * the transaction; a change that committed meanwhile may have demoted or removed the actor.
 */
export async function lockAndReloadActor(tx: Tx, ctx: MemberContext): Promise<MemberContext> {
  await repo.lockOwnerCount(tx, ctx.orgId);
  const me = await repo.findMember(tx, ctx.orgId, ctx.memberId);
  if (!me) throw forbidden("You are no longer a member of the active organization");
  return { ...ctx, role: me.role };
}

/** The org must keep at least one OWNER; call with the OWNER rows locked. */
async function assertNotLastOwner(tx: Tx, orgId: string, message: string) {
  if ((await repo.lockOwnerCount(tx, orgId)) <= 1) throw new AppError("CONFLICT", message);
}

export async function updateMemberRole(ctx: MemberContext, input: z.input<typeof updateRoleInput>) {
  authorize(ctx, "member:update_role");
  const { memberId, role } = updateRoleInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const actor = await lockAndReloadActor(tx, ctx);
    authorize(actor, "member:update_role");
    const target = await repo.findMember(tx, ctx.orgId, memberId);
    if (!target) throw notFound("Member");
    assertMayManageRole(actor, { memberId, currentRole: target.role, newRole: role });
    if (target.role === role) return { memberId, role };
    if (isOwnerRole(target.role)) {
      await assertNotLastOwner(tx, ctx.orgId, "The last OWNER cannot be demoted");
    }
    await repo.updateMemberRole(tx, ctx.orgId, memberId, role);
    // A role that may not hold grants (REVIEWER) loses every grant in the same transaction.
    const grantsRemoved = mayHoldGrants(role)
      ? 0
      : await deleteAllGrantsOf(tx, ctx.orgId, memberId);
    await recordAudit(tx, ctx, {
      action: "member.role_changed",
      targetType: "member",
      targetId: memberId,
      metadata: { userId: target.userId, before: target.role, after: role, grantsRemoved },
    });
    return { memberId, role };
  });
}

export async function removeMember(ctx: MemberContext, input: z.input<typeof memberIdInput>) {
  authorize(ctx, "member:remove");
  const { memberId } = memberIdInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const actor = await lockAndReloadActor(tx, ctx);
    authorize(actor, "member:remove");
    const target = await repo.findMember(tx, ctx.orgId, memberId);
    if (!target) throw notFound("Member");
    assertMayManageRole(actor, { memberId, currentRole: target.role });
    if (isOwnerRole(target.role)) {
      await assertNotLastOwner(tx, ctx.orgId, "The last OWNER cannot be removed");
    }
    await repo.deleteMember(tx, ctx.orgId, memberId);
    await repo.clearActiveOrganization(tx, ctx.orgId, target.userId);
    await recordAudit(tx, ctx, {
      action: "member.removed",
      targetType: "member",
      targetId: memberId,
      metadata: { userId: target.userId, role: target.role },
    });
    return { memberId };
  });
}

/** Any member may leave, except the last OWNER (who must transfer ownership first). */
export async function leaveOrganization(ctx: MemberContext) {
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const me = await lockAndReloadActor(tx, ctx);
    if (isOwnerRole(me.role)) {
      await assertNotLastOwner(tx, ctx.orgId, "The last OWNER cannot leave the organization");
    }
    await repo.deleteMember(tx, ctx.orgId, ctx.memberId);
    await repo.clearActiveOrganization(tx, ctx.orgId, ctx.userId);
    await recordAudit(tx, ctx, {
      action: "member.left",
      targetType: "member",
      targetId: ctx.memberId,
      metadata: { userId: ctx.userId, role: me.role },
    });
    return { left: ctx.orgId };
  });
}
