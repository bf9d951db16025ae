import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors.ts";
import { rateLimitKey } from "../lib/ip.ts";
import { verifyApiKey } from "../modules/api-keys/verify.ts";
import type { AppDeps } from "../server/deps.ts";
import { fixedWindowLimiter } from "../server/rate-limit.ts";
import type { RestEnv } from "./context.ts";
import { errorResponse } from "./errors.ts";

/** Invalid keys one client address may present per minute before it is refused outright. */
export const INVALID_KEYS_PER_MINUTE = 20;

/**
 * One answer for every key that does not authenticate — missing, malformed, unknown, expired
 * or revoked — so a caller learns nothing about which it was.
 */
const unauthorized = () => new AppError("UNAUTHORIZED", "A valid API key is required");
const challenge = { "WWW-Authenticate": 'Bearer realm="fluxo"' };

const bearerToken = (header: string | undefined) => /^Bearer +([^\s]+) *$/i.exec(header ?? "")?.[1];

/**
 * `Authorization: Bearer <key>` → the key's access context in `c.var.keyContext`.
 * An address that keeps presenting invalid keys is refused before any lookup; a valid key
 * over its per-minute budget gets 429. Use is noted in memory only (no write per request).
 */
export function bearerAuth(
  deps: Pick<AppDeps, "database" | "apiKeyUsage" | "config">,
): MiddlewareHandler<RestEnv> {
  const perKey = fixedWindowLimiter(deps.config.apiRatePerMinute, 60_000);
  const invalidKeys = fixedWindowLimiter(INVALID_KEYS_PER_MINUTE, 60_000);
  return async (c, next) => {
    const meta = c.get("meta");
    const ip = rateLimitKey(meta.ip ?? "unknown");
    const refused = invalidKeys.blocked(ip);
    if (refused) return tooManyRequests(c, refused);
    const presented = bearerToken(c.req.header("authorization"));
    if (!presented) return errorResponse(c, unauthorized(), challenge);
    const ctx = await verifyApiKey(deps.database.db, presented, meta);
    if (!ctx) {
      invalidKeys.hit(ip);
      return errorResponse(c, unauthorized(), challenge);
    }
    const wait = perKey.hit(ctx.actor.keyId);
    if (wait) return tooManyRequests(c, wait);
    deps.apiKeyUsage.note(ctx.actor.keyId, meta.ip);
    c.set("keyContext", ctx);
    await next();
  };
}

function tooManyRequests(c: Parameters<MiddlewareHandler<RestEnv>>[0], seconds: number) {
  const error = new AppError("TOO_MANY_REQUESTS", "Too many requests; retry later", {
    retry_after: seconds,
  });
  return errorResponse(c, error, { "Retry-After": String(seconds) });
}
