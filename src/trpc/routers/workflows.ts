import {
  definitionInputs,
  getDefinition,
  rotateWebhookSecret,
  saveDefinition,
} from "../../modules/workflows/definitions.ts";
import { executionInputs } from "../../modules/workflows/executions/inputs.ts";
import {
  cancelExecution,
  getExecution,
  listExecutions,
  runWorkflow,
  signalExecution,
} from "../../modules/workflows/executions/service.ts";
import { workflowInputs } from "../../modules/workflows/inputs.ts";
import { listNodeTypes } from "../../modules/workflows/nodes/describe.ts";
import { previewExpression, previewInputs } from "../../modules/workflows/preview/service.ts";
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  updateWorkflow,
} from "../../modules/workflows/service.ts";
import { listVersions, versionInputs } from "../../modules/workflows/versions.ts";
import { orgProcedure, router } from "../init.ts";
import { onePage } from "../list.ts";

export const workflowsRouter = router({
  nodeTypes: orgProcedure.query(() => listNodeTypes()),
  getDefinition: orgProcedure
    .input(definitionInputs.get)
    .query(({ ctx, input }) => getDefinition(ctx.member, input)),
  saveDefinition: orgProcedure
    .input(definitionInputs.save)
    .mutation(({ ctx, input }) => saveDefinition(ctx.deps.engine, ctx.member, input)),
  rotateWebhookSecret: orgProcedure
    .input(definitionInputs.id)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.member, input)),
  // a mutation, so a long template travels in the body rather than the URL
  previewExpression: orgProcedure
    .input(previewInputs)
    .mutation(({ ctx, input }) => previewExpression(ctx.deps, ctx.member, input)),
  run: orgProcedure
    .input(executionInputs.run)
    .mutation(({ ctx, input }) => runWorkflow(ctx.deps.engine, ctx.member, input)),
  list: orgProcedure.query(({ ctx }) => onePage(listWorkflows(ctx.member))),
  get: orgProcedure
    .input(workflowInputs.id)
    .query(({ ctx, input }) => getWorkflow(ctx.member, input)),
  create: orgProcedure
    .input(workflowInputs.create)
    .mutation(({ ctx, input }) => createWorkflow(ctx.member, input)),
  update: orgProcedure
    .input(workflowInputs.update)
    .mutation(({ ctx, input }) => updateWorkflow(ctx.member, input)),
  delete: orgProcedure
    .input(workflowInputs.id)
    .mutation(({ ctx, input }) => deleteWorkflow(ctx.member, input)),
});

export const workflowVersionsRouter = router({
  list: orgProcedure
    .input(versionInputs.list)
    .query(({ ctx, input }) => listVersions(ctx.member, input)),
});

export const executionsRouter = router({
  list: orgProcedure
    .input(executionInputs.list)
    .query(({ ctx, input }) => listExecutions(ctx.member, input)),
  get: orgProcedure
    .input(executionInputs.id)
    .query(({ ctx, input }) => getExecution(ctx.member, input)),
  cancel: orgProcedure
    .input(executionInputs.id)
    .mutation(({ ctx, input }) => cancelExecution(ctx.member, input)),
  signal: orgProcedure
    .input(executionInputs.signal)
    .mutation(({ ctx, input }) => signalExecution(ctx.deps.engine, ctx.member, input)),
});
