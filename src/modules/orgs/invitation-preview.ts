import type { z } from "zod";
import type { RequestMeta } from "../../access/context.ts";
import type { Db } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { notFound } from "../../lib/errors.ts";
import { hashToken } from "../../lib/tokens.ts";
import { previewInvitationInput } from "./inputs.ts";
import { inviterMayStillGrant } from "./invitations.ts";
import * as repo from "./repo.ts";

export type InvitationState = "pending" | "expired" | "revoked" | "accepted";

/**
 * The mailed link is the only key here: the address is masked to its first character and its
 * domain. The invitee recognises which of their addresses it is (and so which account to sign
 * in with), while a link forwarded, pasted into a chat or leaked in a screenshot does not hand
 * whoever holds it the full address of someone they may not know.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

/**
 * Public (no session): what an invitation link is for, shown before signing in or up. Only
 * the token decides; an unknown token is the same 404 whatever it looks like, and the caller
 * throttles lookups per address. Pending means `invitations.accept` would take it now, so an
 * invitation whose sender may no longer grant it reads as revoked (it was, in effect).
 */
export async function previewInvitation(
  access: { db: Db; meta: RequestMeta },
  input: z.input<typeof previewInvitationInput>,
) {
  const { token } = previewInvitationInput.parse(input);
  // Outside RLS like accept: the token, not a session, names the organization.
  const found = await repo.findInvitationByHash(access.db, hashToken(token));
  if (!found) throw notFound("Invitation");
  const state = await stateOf(access, found);
  return {
    organizationName: found.organizationName,
    role: found.role,
    inviterName: found.inviterName,
    email: maskEmail(found.email),
    expiresAt: found.expiresAt,
    state,
  };
}

async function stateOf(
  access: { db: Db; meta: RequestMeta },
  found: NonNullable<Awaited<ReturnType<typeof repo.findInvitationByHash>>>,
): Promise<InvitationState> {
  if (found.status !== "pending") return found.status;
  if (found.expiresAt <= new Date()) return "expired";
  const base = { ...access, orgId: found.organizationId };
  const holds = await withTenant(access.db, found.organizationId, (tx) =>
    inviterMayStillGrant(tx, base, found),
  );
  return holds ? "pending" : "revoked";
}
