import type { Context } from "hono";
import type { KeyContext, RequestMeta } from "../access/context.ts";
import type { Logger } from "../lib/logger.ts";

/**
 * What every REST v1 handler can read from `c.var`: `meta` and `log` are set by the main app
 * (src/server/app.ts) for every request, `keyContext` by the authentication middleware.
 */
export type RestEnv = {
  Variables: { meta: RequestMeta; log: Logger; requestId: string; keyContext: KeyContext };
};

/**
 * The access context of the calling API key: the only way handlers learn who is calling.
 * Set by `bearerAuth` (or, in the benchmark, by a fixed-context middleware in its place).
 */
export function keyContext(c: Context<RestEnv>): KeyContext {
  const ctx = c.get("keyContext");
  if (!ctx) throw new Error("REST handler reached without an authenticated key context");
  return ctx;
}
