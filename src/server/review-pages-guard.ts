import type { Context, MiddlewareHandler } from "hono";
import type { RequestMeta } from "../access/context.ts";
import { rateLimitKey } from "../lib/ip.ts";
import { fixedWindowLimiter } from "./rate-limit.ts";
import { STYLE_SOURCE } from "./review-pages-html.ts";

export type PageEnv = { Variables: { meta: RequestMeta } };

const CSP = [
  "default-src 'none'",
  `style-src ${STYLE_SOURCE}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * On every public review response, whatever produced it (page, refusal, 429, error): never
 * cached, never indexed, no referrer carrying the token away, no script, no framing.
 */
export const publicPageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set("Cache-Control", "no-store");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Robots-Tag", "noindex");
  headers.set("Content-Security-Policy", CSP);
};

export interface PageLimits {
  /** Requests per minute from one address to /r and /q. */
  perMinute: number;
  /** Unknown tokens per minute from one address before it is refused outright. */
  badTokensPerMinute: number;
}

export const defaultPageLimits: PageLimits = { perMinute: 60, badTokensPerMinute: 10 };

/**
 * Per-address throttles for lookups by a secret token: every request counts; an address that
 * keeps presenting unknown tokens (guessing) is cut off. Keys are `rateLimitKey` addresses.
 */
export function tokenLookupThrottle(limits: PageLimits) {
  const perIp = fixedWindowLimiter(limits.perMinute, 60_000);
  const badTokens = fixedWindowLimiter(limits.badTokensPerMinute, 60_000);
  const keyOf = (ip: string | undefined) => rateLimitKey(ip ?? "unknown");
  return {
    /** Seconds to wait before this address may try again, or 0 (and the request counts). */
    wait: (ip: string | undefined) => badTokens.blocked(keyOf(ip)) || perIp.hit(keyOf(ip)),
    badToken: (ip: string | undefined) => {
      badTokens.hit(keyOf(ip));
    },
  };
}

/** The review pages' throttle (/r and /q), by the request's client address. */
export function pageThrottle(limits: PageLimits) {
  const throttle = tokenLookupThrottle(limits);
  const ipOf = (c: Context<PageEnv>) => c.get("meta").ip;
  return {
    wait: (c: Context<PageEnv>) => throttle.wait(ipOf(c)),
    badToken: (c: Context<PageEnv>) => throttle.badToken(ipOf(c)),
  };
}
