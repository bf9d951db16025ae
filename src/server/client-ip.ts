import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { ipMatcher, resolveClientIp } from "../lib/ip.ts";

/**
 * Builds the resolver for the client address used by rate limits and audit: the TCP peer,
 * or the forwarded address when the peer is a configured trusted proxy.
 */
export function clientIpResolver(trustedProxies: string[]) {
  const isTrusted = ipMatcher(trustedProxies);
  return (c: Context): string | undefined => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined; // not served by @hono/node-server (e.g. in-process requests)
    }
    return resolveClientIp(peer, c.req.header("x-forwarded-for"), isTrusted);
  };
}
