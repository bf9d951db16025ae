import { listAuditEvents, listAuditInput } from "../modules/audit/service.ts";
import {
  acceptInvitationInput,
  createOrganizationInput,
  deleteOrganizationInput,
  invitationIdInput,
  inviteInput,
  memberIdInput,
  organizationIdInput,
  previewInvitationInput,
  updateOrganizationInput,
  updateRoleInput,
} from "../modules/orgs/inputs.ts";
import { previewInvitation } from "../modules/orgs/invitation-preview.ts";
import {
  acceptInvitation,
  inviteMember,
  listInvitations,
  revokeInvitation,
} from "../modules/orgs/invitations.ts";
import {
  leaveOrganization,
  listMembers,
  removeMember,
  updateMemberRole,
} from "../modules/orgs/members.ts";
import {
  createOrganization,
  currentOrganization,
  listMyOrganizations,
  setActiveOrganization,
} from "../modules/orgs/organizations.ts";
import {
  deleteOrganization,
  transferOwnership,
  updateOrganization,
} from "../modules/orgs/ownership.ts";
import { orgProcedure, protectedProcedure, router, tokenProcedure } from "./init.ts";
import { onePage } from "./list.ts";
import { accessRouter, sharingRouter } from "./routers/access.ts";
import { apiKeysRouter } from "./routers/api-keys.ts";
import { authRouter } from "./routers/auth.ts";
import { credentialsRouter } from "./routers/credentials.ts";
import { retentionRouter } from "./routers/retention.ts";
import { reviewsRouter } from "./routers/reviews.ts";
import { webhookDeliveriesRouter } from "./routers/webhook-deliveries.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { executionsRouter, workflowsRouter, workflowVersionsRouter } from "./routers/workflows.ts";

export const appRouter = router({
  me: protectedProcedure.query(({ ctx }) => ({
    userId: ctx.user.userId,
    email: ctx.user.email,
    emailVerified: ctx.user.emailVerified,
    activeOrganizationId: ctx.user.activeOrganizationId,
  })),
  orgs: router({
    list: protectedProcedure.query(({ ctx }) => onePage(listMyOrganizations(ctx.user))),
    create: protectedProcedure
      .input(createOrganizationInput)
      .mutation(({ ctx, input }) => createOrganization(ctx.user, input)),
    setActive: protectedProcedure
      .input(organizationIdInput)
      .mutation(({ ctx, input }) => setActiveOrganization(ctx.user, input)),
    current: orgProcedure.query(({ ctx }) => currentOrganization(ctx.member)),
    leave: orgProcedure.mutation(({ ctx }) => leaveOrganization(ctx.member)),
    update: orgProcedure
      .input(updateOrganizationInput)
      .mutation(({ ctx, input }) => updateOrganization(ctx.member, input)),
    transferOwnership: orgProcedure
      .input(memberIdInput)
      .mutation(({ ctx, input }) => transferOwnership(ctx.member, input)),
    delete: orgProcedure
      .input(deleteOrganizationInput)
      .mutation(({ ctx, input }) => deleteOrganization(ctx.member, input)),
    retention: retentionRouter,
  }),
  members: router({
    list: orgProcedure.query(({ ctx }) => onePage(listMembers(ctx.member))),
    updateRole: orgProcedure
      .input(updateRoleInput)
      .mutation(({ ctx, input }) => updateMemberRole(ctx.member, input)),
    remove: orgProcedure
      .input(memberIdInput)
      .mutation(({ ctx, input }) => removeMember(ctx.member, input)),
  }),
  invitations: router({
    create: orgProcedure
      .input(inviteInput)
      .mutation(({ ctx, input }) =>
        inviteMember(
          { mailer: ctx.deps.mailer, baseUrl: ctx.deps.config.baseUrl },
          ctx.member,
          input,
        ),
      ),
    list: orgProcedure.query(({ ctx }) => onePage(listInvitations(ctx.member))),
    revoke: orgProcedure
      .input(invitationIdInput)
      .mutation(({ ctx, input }) => revokeInvitation(ctx.member, input)),
    preview: tokenProcedure
      .input(previewInvitationInput)
      .query(({ ctx, input }) =>
        previewInvitation({ db: ctx.deps.database.db, meta: ctx.meta }, input),
      ),
    accept: protectedProcedure
      .input(acceptInvitationInput)
      .mutation(({ ctx, input }) => acceptInvitation(ctx.user, input)),
  }),
  auth: authRouter,
  workflows: workflowsRouter,
  workflowVersions: workflowVersionsRouter,
  executions: executionsRouter,
  credentials: credentialsRouter,
  reviews: reviewsRouter,
  webhooks: webhooksRouter,
  webhookDeliveries: webhookDeliveriesRouter,
  sharing: sharingRouter,
  access: accessRouter,
  apiKeys: apiKeysRouter,
  audit: router({
    list: orgProcedure
      .input(listAuditInput)
      .query(({ ctx, input }) => listAuditEvents(ctx.member, input)),
  }),
});

export type AppRouter = typeof appRouter;
