import { z } from "zod";
import { roles } from "../../access/statements.ts";

export const roleInput = z.enum(roles, {
  error: () => `role must be one of ${roles.join(", ")}`,
});

export const createOrganizationInput = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, "slug: lowercase letters, digits and dashes")
    .optional(),
});

export const organizationIdInput = z.strictObject({ organizationId: z.string().min(1) });
export const memberIdInput = z.strictObject({ memberId: z.string().min(1) });
export const updateRoleInput = z.strictObject({ memberId: z.string().min(1), role: roleInput });
export const inviteInput = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  role: roleInput,
});
export const acceptInvitationInput = z.strictObject({ token: z.string().min(20).max(200) });
/** Any string up to the bound is looked up, so a malformed token is the same 404 as an unknown one. */
export const previewInvitationInput = z.strictObject({ token: z.string().max(200) });
export const invitationIdInput = z.strictObject({ invitationId: z.string().min(1) });
export const updateOrganizationInput = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
});
export const deleteOrganizationInput = z.strictObject({
  confirmSlug: z.string().min(1, "confirmSlug: type the organization's slug to confirm"),
});
