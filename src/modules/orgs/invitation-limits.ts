import type { Tx } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { countRecentInvitations, lockInvitationCounters } from "./repo.ts";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Invitation mails per hour. Organizations cost nothing to create, so the organization limit
 * alone would not stop one person from mailing any address through many of them: the address
 * and the inviting user have limits of their own. Revoked invitations count.
 */
export const INVITATION_LIMITS = {
  perOrganization: 50,
  perAddress: 3,
  perInviter: 100,
} as const;

/**
 * Refuses (429, naming the limit) an invitation that would pass one of the hourly limits.
 * `tx` must be an outer transaction (no tenant role: the address and inviter span
 * organizations) that goes on to insert the invitation: concurrent invitations sharing a
 * counter wait for it to end, so requests sent at the same moment cannot all pass.
 */
export async function assertInvitationAllowed(
  tx: Tx,
  by: { orgId: string; email: string; inviterId: string },
  now = new Date(),
) {
  await lockInvitationCounters(tx, by);
  const recent = await countRecentInvitations(tx, by, new Date(now.getTime() - HOUR_MS));
  const checks = [
    {
      used: recent.organization,
      max: INVITATION_LIMITS.perOrganization,
      limit: "invitations_per_organization_per_hour",
      what: `This organization has sent ${INVITATION_LIMITS.perOrganization} invitations`,
    },
    {
      used: recent.address,
      max: INVITATION_LIMITS.perAddress,
      limit: "invitations_per_address_per_hour",
      what: `${by.email} has received ${INVITATION_LIMITS.perAddress} invitations`,
    },
    {
      used: recent.inviter,
      max: INVITATION_LIMITS.perInviter,
      limit: "invitations_per_inviter_per_hour",
      what: `You have sent ${INVITATION_LIMITS.perInviter} invitations`,
    },
  ];
  for (const { used, max, limit, what } of checks) {
    if (used.count < max) continue;
    const freedAt = (used.oldest?.getTime() ?? now.getTime()) + HOUR_MS;
    const retryAfter = Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000));
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `${what} in the last hour, the most allowed; retry in ${Math.ceil(retryAfter / 60)} minutes`,
      { limit, max, retry_after: retryAfter },
    );
  }
}
