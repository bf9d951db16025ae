import { workflowInputs } from "../../modules/workflows/inputs.ts";
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  updateWorkflow,
} from "../../modules/workflows/service.ts";
import { orgProcedure, router } from "../init.ts";

export const workflowsRouter = router({
  list: orgProcedure.query(({ ctx }) => listWorkflows(ctx.member)),
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
