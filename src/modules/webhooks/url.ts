import { isIP } from "node:net";
import { type AllowEntry, findAllowEntry } from "../../net/allowlist.ts";

export const MAX_URL_LENGTH = 2048;

/** Why a URL is refused, phrased for the `url` field; undefined when it is acceptable. */
export function endpointUrlProblem(raw: string, allow: readonly AllowEntry[]): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http(s) URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use https";
  // credentials in a URL end up in logs and attempt records; the signature authenticates us
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.protocol === "http:" && !allowedPlainHttp(url, allow)) {
    return "must use https (plain http only for hosts allowed by FLUXO_OUTBOUND_ALLOW)";
  }
  return undefined;
}

/**
 * Plain http is for local receivers the operator allowed explicitly. A name can only match a
 * hostname entry here (its addresses are unknown until delivery); an IP literal matches its
 * range. Every delivery still goes through the outbound guard, which decides on the address.
 */
function allowedPlainHttp(url: URL, allow: readonly AllowEntry[]): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const address = isIP(host) ? host : "";
  const port = Number(url.port || 80);
  return findAllowEntry(allow, host, address, port) !== undefined;
}
