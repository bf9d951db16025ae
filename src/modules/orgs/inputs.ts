import { z } from "zod";
import { roles } from "../../access/statements.ts";

export const roleInput = z.enum(roles, {
  error: () => `role must be one of ${roles.join(", ")}`,
});

export const createOrganizationInput = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, "slug: lowercase letters, digits and dashes")
    .optional(),
});

export const organizationIdInput = z.object({ organizationId: z.string().min(1) });
export const memberIdInput = z.object({ memberId: z.string().min(1) });
export const updateRoleInput = z.object({ memberId: z.string().min(1), role: roleInput });
export const inviteInput = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  role: roleInput,
});
export const acceptInvitationInput = z.object({ token: z.string().min(20).max(200) });
export const invitationIdInput = z.object({ invitationId: z.string().min(1) });
export const updateOrganizationInput = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
});
export const deleteOrganizationInput = z.object({
  confirmSlug: z.string().min(1, "confirmSlug: type the organization's slug to confirm"),
});
