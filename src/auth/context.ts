import type { MemberContext, RequestMeta, UserContext } from "../access/context.ts";
import { AppError } from "../lib/errors.ts";
import { findMembership } from "../modules/orgs/repo.ts";
import type { AppDeps } from "../server/deps.ts";

export interface SessionUser extends UserContext {
  activeOrganizationId: string | null;
}

/** Session cookie → user. Null when there is no valid session. */
export async function loadUserContext(
  deps: AppDeps,
  headers: Headers,
  meta: RequestMeta,
): Promise<SessionUser | null> {
  const found = await deps.auth.api.getSession({ headers });
  if (!found) return null;
  return {
    db: deps.database.db,
    meta,
    userId: found.user.id,
    email: found.user.email,
    emailVerified: found.user.emailVerified,
    sessionId: found.session.id,
    activeOrganizationId: found.session.activeOrganizationId ?? null,
  };
}

/**
 * User → active organization → membership re-read from the database → role. The session's
 * active organization is only a pointer: a member removed by someone else is refused here
 * on their very next request.
 */
export async function loadMemberContext(user: SessionUser): Promise<MemberContext> {
  const orgId = user.activeOrganizationId;
  if (!orgId) {
    throw new AppError("FORBIDDEN", "No active organization: create one or switch to one first");
  }
  const membership = await findMembership(user.db, orgId, user.userId);
  if (!membership) {
    throw new AppError("FORBIDDEN", "You are no longer a member of the active organization");
  }
  return {
    db: user.db,
    meta: user.meta,
    orgId,
    userId: user.userId,
    memberId: membership.id,
    role: membership.role,
    actor: { kind: "user", userId: user.userId, memberId: membership.id },
  };
}
