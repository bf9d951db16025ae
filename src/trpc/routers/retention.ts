import { defaultRetention } from "../../config/executions.ts";
import { retentionInputs } from "../../modules/workflows/retention/inputs.ts";
import {
  getRetention,
  resetRetention,
  setRetention,
} from "../../modules/workflows/retention/service.ts";
import { orgProcedure, router } from "../init.ts";

/** `orgs.retention.*`: how long the active organization keeps its finished executions. */
export const retentionRouter = router({
  get: orgProcedure.query(({ ctx }) =>
    getRetention(ctx.member, ctx.deps.config.retention ?? defaultRetention),
  ),
  set: orgProcedure
    .input(retentionInputs.set)
    .mutation(({ ctx, input }) =>
      setRetention(ctx.member, ctx.deps.config.retention ?? defaultRetention, input),
    ),
  reset: orgProcedure.mutation(({ ctx }) =>
    resetRetention(ctx.member, ctx.deps.config.retention ?? defaultRetention),
  ),
});
