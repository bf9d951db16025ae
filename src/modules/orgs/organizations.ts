import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext, UserContext } from "../../access/context.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { withTenant } from "../../db/tenant.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { createOrganizationInput, organizationIdInput } from "./inputs.ts";
import * as repo from "./repo.ts";

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "org";

/** Any signed-in user may create an organization; they become its OWNER and it becomes active. */
export async function createOrganization(
  user: UserContext,
  input: z.input<typeof createOrganizationInput>,
) {
  const { name, slug } = createOrganizationInput.parse(input);
  const orgId = randomUUID();
  const memberId = randomUUID();
  const finalSlug = slug ?? `${slugify(name)}-${randomBytes(3).toString("hex")}`;
  const ctx: MemberContext = {
    db: user.db,
    meta: user.meta,
    orgId,
    userId: user.userId,
    memberId,
    role: "OWNER",
    actor: { kind: "user", userId: user.userId, memberId },
  };
  try {
    return await withTenant(user.db, orgId, async (tx) => {
      await repo.insertOrganization(
        tx,
        { id: orgId, name, slug: finalSlug },
        { memberId, userId: user.userId, role: ctx.role },
      );
      await repo.setActiveOrganization(tx, user.sessionId, orgId);
      await recordAudit(tx, ctx, {
        action: "org.created",
        targetType: "organization",
        targetId: orgId,
        metadata: { name, slug: finalSlug },
      });
      return { id: orgId, name, slug: finalSlug, role: "OWNER" as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`The slug "${finalSlug}" is already taken`);
    throw error;
  }
}

export function listMyOrganizations(user: UserContext) {
  return repo.listOrganizationsOfUser(user.db, user.userId);
}

/** Switches the session's active organization after checking membership. */
export async function setActiveOrganization(
  user: UserContext,
  input: z.input<typeof organizationIdInput>,
) {
  const { organizationId } = organizationIdInput.parse(input);
  const membership = await repo.findMembership(user.db, organizationId, user.userId);
  if (!membership) throw notFound("Organization");
  await repo.setActiveOrganization(user.db, user.sessionId, organizationId);
  return { organizationId, role: membership.role };
}

export async function currentOrganization(ctx: MemberContext) {
  authorize(ctx, "org:view");
  const org = await repo.findOrganization(ctx.db, ctx.orgId);
  if (!org) throw notFound("Organization");
  return { ...org, role: ctx.role, memberId: ctx.memberId };
}
