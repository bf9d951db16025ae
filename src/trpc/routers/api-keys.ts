import { apiKeyInputs } from "../../modules/api-keys/inputs.ts";
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rollApiKey,
} from "../../modules/api-keys/service.ts";
import { orgProcedure, router } from "../init.ts";
import { onePage } from "../list.ts";

export const apiKeysRouter = router({
  create: orgProcedure
    .input(apiKeyInputs.create)
    .mutation(({ ctx, input }) => createApiKey(ctx.member, input)),
  list: orgProcedure.query(({ ctx }) => onePage(listApiKeys(ctx.member))),
  revoke: orgProcedure
    .input(apiKeyInputs.keyId)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.member, input)),
  roll: orgProcedure
    .input(apiKeyInputs.roll)
    .mutation(({ ctx, input }) => rollApiKey(ctx.member, input)),
});
