import { and, asc, eq, gt, inArray, or, type SQL, sql } from "drizzle-orm";
import { ownerOnlyRoles, type Role } from "../../access/statements.ts";
import type { Queryable, Tx } from "../../db/client.ts";
import { invitation, member, organization, session, user } from "../../db/schema/index.ts";

export async function findMembership(db: Queryable, orgId: string, userId: string) {
  const [row] = await db
    .select({ id: member.id, role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, orgId), eq(member.userId, userId)));
  return row;
}

export function listOrganizationsOfUser(db: Queryable, userId: string) {
  return db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      role: member.role,
    })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name));
}

export async function findOrganization(db: Queryable, orgId: string) {
  const [row] = await db.select().from(organization).where(eq(organization.id, orgId));
  return row;
}

export function listMembers(db: Queryable, orgId: string) {
  return db
    .select({
      id: member.id,
      userId: member.userId,
      role: member.role,
      name: user.name,
      email: user.email,
      joinedAt: member.createdAt,
    })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, orgId))
    .orderBy(asc(member.createdAt));
}

export async function findMember(db: Queryable, orgId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.organizationId, orgId), eq(member.id, memberId)));
  return row;
}

/** Locks the org's OWNER rows so concurrent demotions cannot both pass the last-owner check. */
export async function lockOwnerCount(tx: Tx, orgId: string): Promise<number> {
  const rows = await tx
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.organizationId, orgId), inArray(member.role, [...ownerOnlyRoles])))
    .for("update");
  return rows.length;
}

export async function updateMemberRole(tx: Tx, orgId: string, memberId: string, role: Role) {
  await tx
    .update(member)
    .set({ role })
    .where(and(eq(member.organizationId, orgId), eq(member.id, memberId)));
}

export async function deleteMember(tx: Tx, orgId: string, memberId: string) {
  await tx.delete(member).where(and(eq(member.organizationId, orgId), eq(member.id, memberId)));
}

/** A departed member's sessions stop pointing at the organization. */
export async function clearActiveOrganization(tx: Tx, orgId: string, userId: string) {
  await tx
    .update(session)
    .set({ activeOrganizationId: null })
    .where(and(eq(session.userId, userId), eq(session.activeOrganizationId, orgId)));
}

export async function setActiveOrganization(db: Queryable, sessionId: string, orgId: string) {
  await db.update(session).set({ activeOrganizationId: orgId }).where(eq(session.id, sessionId));
}

export async function findPendingInvitationByHash(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select()
    .from(invitation)
    .where(and(eq(invitation.tokenHash, tokenHash), eq(invitation.status, "pending")));
  return row;
}

/** Any invitation with this token hash, whatever its state (for the public preview). */
export async function findInvitationByHash(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select({
      id: invitation.id,
      organizationId: invitation.organizationId,
      organizationName: organization.name,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      invitedBy: invitation.invitedBy,
      inviterName: user.name,
      expiresAt: invitation.expiresAt,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .innerJoin(user, eq(user.id, invitation.invitedBy))
    .where(eq(invitation.tokenHash, tokenHash));
  return row;
}

/** Marks an invitation accepted only if it is still pending; false when someone got there first. */
export async function markInvitationAccepted(tx: Tx, invitationId: string): Promise<boolean> {
  const rows = await tx
    .update(invitation)
    .set({ status: "accepted", acceptedAt: sql`now()` })
    .where(and(eq(invitation.id, invitationId), eq(invitation.status, "pending")))
    .returning({ id: invitation.id });
  return rows.length === 1;
}

export function listPendingInvitations(db: Queryable, orgId: string) {
  return db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
    })
    .from(invitation)
    .where(and(eq(invitation.organizationId, orgId), eq(invitation.status, "pending")))
    .orderBy(asc(invitation.createdAt));
}

export async function revokeInvitation(tx: Tx, orgId: string, invitationId: string) {
  const rows = await tx
    .update(invitation)
    .set({ status: "revoked" })
    .where(
      and(
        eq(invitation.organizationId, orgId),
        eq(invitation.id, invitationId),
        eq(invitation.status, "pending"),
      ),
    )
    .returning({ id: invitation.id, email: invitation.email });
  return rows[0];
}

export async function clearActiveOrganizationForAll(tx: Tx, orgId: string) {
  await tx
    .update(session)
    .set({ activeOrganizationId: null })
    .where(eq(session.activeOrganizationId, orgId));
}

/** Pending invitations past their expiry stop counting as pending, so the address can be re-invited. */
export async function retireExpiredInvitations(tx: Tx, orgId: string, email: string) {
  await tx
    .update(invitation)
    .set({ status: "revoked" })
    .where(
      and(
        eq(invitation.organizationId, orgId),
        eq(invitation.email, email),
        eq(invitation.status, "pending"),
        sql`${invitation.expiresAt} <= now()`,
      ),
    );
}

/** A new organization and its creator's membership with the given role. */
export async function insertOrganization(
  tx: Tx,
  org: { id: string; name: string; slug: string },
  creator: { memberId: string; userId: string; role: Role },
) {
  await tx.insert(organization).values(org);
  await tx.insert(member).values({
    id: creator.memberId,
    organizationId: org.id,
    userId: creator.userId,
    role: creator.role,
  });
}

export async function renameOrganization(tx: Tx, orgId: string, name: string) {
  await tx.update(organization).set({ name }).where(eq(organization.id, orgId));
}

/** Deletes the organization; everything it owns goes with it (ON DELETE CASCADE). */
export async function deleteOrganization(tx: Tx, orgId: string) {
  await tx.delete(organization).where(eq(organization.id, orgId));
}

/**
 * Serializes invitations that share an organization, an address or an inviter until `tx`
 * ends, so that each counts the ones committed before it. Locks are taken in one order (by
 * key), so two invitations cannot deadlock.
 */
export async function lockInvitationCounters(
  tx: Tx,
  by: { orgId: string; email: string; inviterId: string },
) {
  const keys = [`org:${by.orgId}`, `email:${by.email}`, `inviter:${by.inviterId}`].sort();
  const locks = keys.map(
    (key) => sql`pg_advisory_xact_lock(hashtextextended(${`invitation:${key}`}, 0))`,
  );
  await tx.execute(sql`select ${sql.join(locks, sql`, `)}`);
}

/**
 * Invitations created since `since` by organization, by address (across organizations) and by
 * inviter, with the oldest of each: what the hourly invitation limits count. Revoked ones
 * count too. Run outside a tenant transaction: the address and inviter span organizations.
 */
export async function countRecentInvitations(
  db: Queryable,
  by: { orgId: string; email: string; inviterId: string },
  since: Date,
) {
  const count = (condition: SQL) =>
    sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  const oldest = (condition: SQL) =>
    sql<Date | null>`min(${invitation.createdAt}) filter (where ${condition})`.mapWith(
      invitation.createdAt,
    );
  const byOrg = eq(invitation.organizationId, by.orgId);
  const byEmail = eq(invitation.email, by.email);
  const byInviter = eq(invitation.invitedBy, by.inviterId);
  const [row] = await db
    .select({
      orgCount: count(byOrg),
      orgOldest: oldest(byOrg),
      emailCount: count(byEmail),
      emailOldest: oldest(byEmail),
      inviterCount: count(byInviter),
      inviterOldest: oldest(byInviter),
    })
    .from(invitation)
    .where(and(gt(invitation.createdAt, since), or(byOrg, byEmail, byInviter)));
  return {
    organization: { count: row?.orgCount ?? 0, oldest: row?.orgOldest ?? null },
    address: { count: row?.emailCount ?? 0, oldest: row?.emailOldest ?? null },
    inviter: { count: row?.inviterCount ?? 0, oldest: row?.inviterOldest ?? null },
  };
}
