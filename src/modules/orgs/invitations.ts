import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { assertMayManageRole, authorize, isAllowed } from "../../access/authorize.ts";
import type { MemberContext, UserContext } from "../../access/context.ts";
import type { Role } from "../../access/statements.ts";
import type { Tx } from "../../db/client.ts";
import { invitation, member, user as userTable } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, conflict, forbidden, notFound } from "../../lib/errors.ts";
import { type Mailer, quoteUserText } from "../../lib/mailer.ts";
import { hashToken, newToken } from "../../lib/tokens.ts";
import { recordAudit } from "../audit/record.ts";
import { acceptInvitationInput, invitationIdInput, inviteInput } from "./inputs.ts";
import { assertInvitationAllowed } from "./invitation-limits.ts";
import * as repo from "./repo.ts";

export const INVITATION_TTL_MS = 48 * 60 * 60 * 1000;

export interface InvitationDeps {
  mailer: Mailer;
  baseUrl: string;
}

export async function inviteMember(
  deps: InvitationDeps,
  ctx: MemberContext,
  input: z.input<typeof inviteInput>,
) {
  authorize(ctx, "member:invite");
  const { email, role } = inviteInput.parse(input);
  assertMayManageRole(ctx, { newRole: role });
  const token = newToken();
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  // Counted and stored in one transaction: concurrent invitations wait for each other's count.
  const org = await ctx.db.transaction(async (outer) => {
    await assertInvitationAllowed(outer, { orgId: ctx.orgId, email, inviterId: ctx.userId });
    return withTenant(outer, ctx.orgId, async (tx) => {
      const [existing] = await tx
        .select({ id: member.id })
        .from(member)
        .innerJoin(userTable, eq(userTable.id, member.userId))
        .where(and(eq(member.organizationId, ctx.orgId), eq(userTable.email, email)));
      if (existing) throw conflict(`${email} is already a member`);
      await repo.retireExpiredInvitations(tx, ctx.orgId, email);
      const [created] = await tx
        .insert(invitation)
        .values({
          id,
          organizationId: ctx.orgId,
          email,
          role,
          tokenHash: hashToken(token),
          invitedBy: ctx.userId,
          expiresAt,
        })
        // the partial unique index allows one pending invitation per address
        .onConflictDoNothing()
        .returning({ id: invitation.id });
      if (!created) {
        throw conflict(`${email} already has a pending invitation; revoke it to send a new one`);
      }
      await recordAudit(tx, ctx, {
        action: "member.invited",
        targetType: "invitation",
        targetId: id,
        metadata: { email, role },
      });
      return repo.findOrganization(tx, ctx.orgId);
    });
  });
  const link = `${deps.baseUrl}/invitations/accept?token=${token}`;
  try {
    await deps.mailer.send({
      to: email,
      // The organization's name is its members' choice: never in the subject, and in the body
      // only quoted and cut short, so the instance's mail cannot carry someone else's message.
      subject: "You are invited to an organization on Fluxo",
      text: `You have been invited to join the organization ${quoteUserText(org?.name ?? "")} on Fluxo as ${role}.\n\nAccept the invitation (valid for 48 hours): ${link}\n\nIf you did not expect this invitation, ignore this message.\n`,
    });
  } catch {
    await withTenant(ctx.db, ctx.orgId, (tx) => repo.revokeInvitation(tx, ctx.orgId, id));
    throw new AppError(
      "UNAVAILABLE",
      "The invitation e-mail could not be sent; the invitation was withdrawn",
    );
  }
  return { id, email, role, expiresAt };
}

/** The signed-in user accepts with the token from the e-mail; it must be addressed to them. */
export async function acceptInvitation(
  user: UserContext,
  input: z.input<typeof acceptInvitationInput>,
) {
  const { token } = acceptInvitationInput.parse(input);
  const found = await repo.findPendingInvitationByHash(user.db, hashToken(token));
  if (!found || found.expiresAt <= new Date()) throw notFound("Invitation");
  if (found.email !== user.email.toLowerCase()) {
    throw forbidden("This invitation was sent to a different e-mail address");
  }
  if (!user.emailVerified)
    throw forbidden("Verify your e-mail address before accepting invitations");
  const memberId = randomUUID();
  const ctx: MemberContext = {
    db: user.db,
    meta: user.meta,
    orgId: found.organizationId,
    userId: user.userId,
    memberId,
    role: found.role,
    actor: { kind: "user", userId: user.userId, memberId },
  };
  return withTenant(user.db, found.organizationId, async (tx) => {
    if (!(await inviterMayStillGrant(tx, ctx, found))) {
      throw notFound("Invitation (its sender may no longer grant it)");
    }
    if (!(await repo.markInvitationAccepted(tx, found.id))) throw notFound("Invitation");
    const [joined] = await tx
      .insert(member)
      .values({
        id: memberId,
        organizationId: found.organizationId,
        userId: user.userId,
        role: found.role,
      })
      .onConflictDoNothing()
      .returning({ id: member.id });
    if (!joined) throw conflict("You are already a member of this organization");
    await repo.setActiveOrganization(tx, user.sessionId, found.organizationId);
    await recordAudit(tx, ctx, {
      action: "member.joined",
      targetType: "member",
      targetId: memberId,
      metadata: { invitationId: found.id, role: found.role },
    });
    return { organizationId: found.organizationId, memberId, role: found.role };
  });
}

export async function listInvitations(ctx: MemberContext) {
  authorize(ctx, "member:invite");
  return repo.listPendingInvitations(ctx.db, ctx.orgId);
}

export async function revokeInvitation(
  ctx: MemberContext,
  input: z.input<typeof invitationIdInput>,
) {
  authorize(ctx, "member:invite");
  const { invitationId } = invitationIdInput.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    const revoked = await repo.revokeInvitation(tx, ctx.orgId, invitationId);
    if (!revoked) throw notFound("Invitation");
    await recordAudit(tx, ctx, {
      action: "member.invitation_revoked",
      targetType: "invitation",
      targetId: invitationId,
      metadata: { email: revoked.email },
    });
    return { invitationId };
  });
}

/**
 * An invitation carries its sender's authority: if the sender has since left, been removed or
 * lost the right to invite or to hand out that role, the invitation no longer holds.
 * `tx` is a tenant transaction of the invitation's organization.
 */
export async function inviterMayStillGrant(
  tx: Tx,
  base: Pick<MemberContext, "db" | "meta" | "orgId">,
  invitation: { invitedBy: string; role: Role },
): Promise<boolean> {
  const inviter = await repo.findMembership(tx, base.orgId, invitation.invitedBy);
  if (!inviter) return false;
  const inviterCtx: MemberContext = {
    db: base.db,
    meta: base.meta,
    orgId: base.orgId,
    userId: invitation.invitedBy,
    memberId: inviter.id,
    role: inviter.role,
    actor: { kind: "user", userId: invitation.invitedBy, memberId: inviter.id },
  };
  if (!isAllowed(inviterCtx, "member:invite")) return false;
  try {
    assertMayManageRole(inviterCtx, { newRole: invitation.role });
    return true;
  } catch {
    return false;
  }
}
