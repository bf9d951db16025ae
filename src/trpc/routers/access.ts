import { myPermissions } from "../../access/my-permissions.ts";
import {
  assetPermissions,
  getSharing,
  grantAccess,
  revokeAccess,
  setSharingMode,
  sharingInputs,
} from "../../modules/sharing/service.ts";
import { orgProcedure, router } from "../init.ts";

export const accessRouter = router({
  myPermissions: orgProcedure.query(({ ctx }) => myPermissions(ctx.member)),
  assetPermissions: orgProcedure
    .input(sharingInputs.asset)
    .query(({ ctx, input }) => assetPermissions(ctx.member, input)),
});

export const sharingRouter = router({
  get: orgProcedure
    .input(sharingInputs.asset)
    .query(({ ctx, input }) => getSharing(ctx.member, input)),
  setMode: orgProcedure
    .input(sharingInputs.setMode)
    .mutation(({ ctx, input }) => setSharingMode(ctx.member, input)),
  grant: orgProcedure
    .input(sharingInputs.grant)
    .mutation(({ ctx, input }) => grantAccess(ctx.member, input)),
  revoke: orgProcedure
    .input(sharingInputs.revoke)
    .mutation(({ ctx, input }) => revokeAccess(ctx.member, input)),
});
