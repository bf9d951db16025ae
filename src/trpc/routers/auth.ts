import { enabledProviders } from "../../auth/social.ts";
import { publicProcedure, router } from "../init.ts";

/** Public: the sign-in page shows a button for each configured provider, and only those. */
export const authRouter = router({
  providers: publicProcedure.query(({ ctx }) => enabledProviders(ctx.deps.config)),
});
