import { credentialInputs } from "../../modules/vault/inputs.ts";
import {
  createCredential,
  deleteCredential,
  getCredential,
  listCredentials,
  updateCredential,
} from "../../modules/vault/service.ts";
import { testCredential } from "../../modules/vault/test-connection.ts";
import { listCredentialTypes } from "../../modules/vault/types/describe.ts";
import { orgProcedure, router } from "../init.ts";
import { onePage } from "../list.ts";

export const credentialsRouter = router({
  types: orgProcedure.query(() => listCredentialTypes()),
  list: orgProcedure.query(({ ctx }) => onePage(listCredentials(ctx.member))),
  get: orgProcedure
    .input(credentialInputs.id)
    .query(({ ctx, input }) => getCredential(ctx.member, input)),
  create: orgProcedure
    .input(credentialInputs.create)
    .mutation(({ ctx, input }) => createCredential(ctx.deps, ctx.member, input)),
  update: orgProcedure
    .input(credentialInputs.update)
    .mutation(({ ctx, input }) => updateCredential(ctx.deps, ctx.member, input)),
  delete: orgProcedure
    .input(credentialInputs.id)
    .mutation(({ ctx, input }) => deleteCredential(ctx.member, input)),
  testConnection: orgProcedure
    .input(credentialInputs.test)
    .mutation(({ ctx, input }) => testCredential(ctx.deps, ctx.member, input)),
});
