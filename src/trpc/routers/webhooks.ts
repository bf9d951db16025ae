import { webhookInputs } from "../../modules/webhooks/inputs.ts";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  listEventTypes,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
} from "../../modules/webhooks/service.ts";
import { orgProcedure, router } from "../init.ts";
import { onePage } from "../list.ts";

export const webhooksRouter = router({
  list: orgProcedure.query(({ ctx }) => onePage(listEndpoints(ctx.member))),
  eventTypes: orgProcedure.query(({ ctx }) => listEventTypes(ctx.member)),
  get: orgProcedure
    .input(webhookInputs.id)
    .query(({ ctx, input }) => getEndpoint(ctx.member, input)),
  create: orgProcedure
    .input(webhookInputs.create)
    .mutation(({ ctx, input }) => createEndpoint(ctx.deps, ctx.member, input)),
  update: orgProcedure
    .input(webhookInputs.update)
    .mutation(({ ctx, input }) => updateEndpoint(ctx.deps, ctx.member, input)),
  delete: orgProcedure
    .input(webhookInputs.id)
    .mutation(({ ctx, input }) => deleteEndpoint(ctx.member, input)),
  rotateSecret: orgProcedure
    .input(webhookInputs.rotate)
    .mutation(({ ctx, input }) => rotateSecret(ctx.deps, ctx.member, input)),
  revealSecret: orgProcedure
    .input(webhookInputs.id)
    .mutation(({ ctx, input }) => revealSecret(ctx.deps, ctx.member, input)),
  sendTest: orgProcedure
    .input(webhookInputs.id)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.deps, ctx.member, input)),
});
