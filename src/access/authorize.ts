import { AppError, forbidden } from "../lib/errors.ts";
import type { MemberContext } from "./context.ts";
import { type Action, type Role, rolePermissions } from "./statements.ts";

export const can = (role: Role, action: Action): boolean => rolePermissions[role].includes(action);

/** First line of every org-scoped service function. */
export function authorize(ctx: MemberContext, action: Action): void {
  if (!can(ctx.role, action)) throw forbidden(`Your role (${ctx.role}) may not ${action}`);
}

/** Roles only an OWNER may hand out or touch. */
const ownerOnlyRoles: readonly Role[] = ["OWNER"];

/**
 * Escalation guards for changing who holds which role: nobody changes their own role,
 * and only an OWNER may assign the OWNER role or act on an OWNER.
 */
export function assertMayManageRole(
  ctx: MemberContext,
  target: { memberId?: string; currentRole?: Role; newRole?: Role },
): void {
  if (target.memberId && target.memberId === ctx.memberId) {
    throw new AppError("FORBIDDEN", "You cannot change or remove your own membership this way");
  }
  const touchesOwner =
    (target.newRole && ownerOnlyRoles.includes(target.newRole)) ||
    (target.currentRole && ownerOnlyRoles.includes(target.currentRole));
  if (touchesOwner && ctx.role !== "OWNER") {
    throw forbidden("Only an OWNER may grant the OWNER role or change an OWNER's membership");
  }
}
