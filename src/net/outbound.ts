/**
 * The SSRF-guarded outbound client. EVERY outbound connection in Fluxo goes through here:
 * HTTP nodes, webhook deliveries and Slack via `fetch`; SMTP (nodemailer) and PostgreSQL (pg)
 * via `vetHost`, connecting to the address it returns.
 *
 * Why hand-written: the maintained npm options cover parts of this only. request-filtering-agent
 * checks the connected address of an http(s).Agent (no per-port allowlist, no raw sockets for
 * SMTP/pg, generic errors); @atproto-labs/fetch-node pins an undici fetch to unicast addresses
 * (fetch only, no allowlist, pulls in undici, ipaddr.js and psl); ssrf-req-filter and similar
 * validate addresses but do not pin the connection to the vetted IP across redirects.
 * What we need — resolve once, judge every address with a named rule, connect to that exact
 * IP with the original Host/SNI, re-vet each redirect, one host:port allowlist shared by HTTP
 * and raw sockets — is small enough to own and test.
 *
 * For SMTP/pg: `const v = await outbound.vetHost(host, port)`, then connect to `v.address`
 * and pass `v.hostname` as the TLS servername (nodemailer `tls.servername`, pg `ssl.servername`).
 */
import type { AllowEntry } from "./allowlist.ts";
import { type Connect, type ConnectTarget, defaultConnect, openSocket } from "./connect.ts";
import { OutboundError } from "./errors.ts";
import { exchange, type RawResponse } from "./exchange.ts";
import { type Resolver, systemResolver, type VettedHost, vetHost } from "./vet.ts";

export interface OutboundOptions {
  /** Parsed FLUXO_OUTBOUND_ALLOW entries (see parseAllowlist). */
  allow?: readonly AllowEntry[];
  resolver?: Resolver;
  connect?: Connect;
  /** Whole-call budget: DNS, connect, every redirect hop and the body. Default 15 s. */
  timeoutMs?: number;
  /** Default 5 MB; a bigger response fails with OutboundResponseTooLargeError. */
  maxResponseBytes?: number;
  /** Default 0: a 3xx is returned to the caller as it is. */
  maxRedirects?: number;
  /** Extra CA certificates trusted for https. */
  ca?: ConnectTarget["ca"];
}

export interface OutboundRequestInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Keep the first maxResponseBytes of a longer body (`truncated: true`) instead of failing. */
  truncateResponse?: boolean;
  maxRedirects?: number;
}

export interface OutboundResponse extends RawResponse {
  ok: boolean;
  /** The URL of the response actually returned (after followed redirects). */
  url: string;
  redirected: boolean;
  text(): string;
  json(): unknown;
}

export interface Outbound {
  fetch(url: string | URL, init?: OutboundRequestInit): Promise<OutboundResponse>;
  /** For non-HTTP protocols: resolve and judge `host`, then connect to the returned address. */
  vetHost(host: string, port: number, options?: { timeoutMs?: number }): Promise<VettedHost>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Credentials must not follow a redirect to another origin.
const ORIGIN_BOUND_HEADERS = ["authorization", "cookie", "proxy-authorization"];
// Framing headers are ours to set from the body we actually send.
const OWN_HEADERS = ["host", "content-length", "transfer-encoding", "connection"];

function parseUrl(input: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new OutboundError("invalid", `"${String(input)}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundError("invalid", `Only http and https URLs are allowed, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new OutboundError("invalid", "Credentials in the URL are not allowed; use a credential");
  }
  return url;
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

function withResponseHelpers(raw: RawResponse, url: URL, redirected: boolean): OutboundResponse {
  return {
    ...raw,
    ok: raw.status >= 200 && raw.status < 300,
    url: url.href,
    redirected,
    text: () => raw.body.toString("utf8"),
    json: () => JSON.parse(raw.body.toString("utf8")),
  };
}

export function createOutbound(options: OutboundOptions = {}): Outbound {
  const allow = options.allow ?? [];
  const resolver = options.resolver ?? systemResolver;
  const connect = options.connect ?? defaultConnect;

  async function vet(host: string, port: number, deadline: number): Promise<VettedHost> {
    return vetHost(host, port, { allow, resolver, deadline });
  }

  async function fetchOnce(
    url: URL,
    req: { method: string; headers: Headers; body?: Buffer },
    limits: { deadline: number; timeoutMs: number; maxResponseBytes: number; truncate: boolean },
  ) {
    const host = await vet(url.hostname, defaultPort(url), limits.deadline);
    const tls = url.protocol === "https:";
    const socket = await openSocket(connect, host, { tls, ca: options.ca, ...limits });
    const headers: Record<string, string> = { host: url.host };
    for (const [name, value] of req.headers) if (!OWN_HEADERS.includes(name)) headers[name] = value;
    if (req.body) headers["content-length"] = String(req.body.length);
    const label = `${host.hostname}:${host.port}`;
    return exchange(
      socket,
      { method: req.method, path: `${url.pathname}${url.search}`, headers, body: req.body },
      { ...limits, label },
    );
  }

  return {
    async fetch(input, init = {}) {
      const timeoutMs = init.timeoutMs ?? options.timeoutMs ?? 15_000;
      const maxResponseBytes = init.maxResponseBytes ?? options.maxResponseBytes ?? 5 * 1024 * 1024;
      const maxRedirects = init.maxRedirects ?? options.maxRedirects ?? 0;
      const limits = {
        deadline: Date.now() + timeoutMs,
        timeoutMs,
        maxResponseBytes,
        truncate: init.truncateResponse ?? false,
      };

      let url = parseUrl(input);
      let method = (init.method ?? "GET").toUpperCase();
      const headers = new Headers(init.headers);
      let body = init.body === undefined ? undefined : Buffer.from(init.body);

      for (let hop = 0; ; hop++) {
        const raw = await fetchOnce(url, { method, headers, body }, limits);
        const location = raw.headers.get("location");
        if (!REDIRECTS.has(raw.status) || !location || maxRedirects === 0) {
          return withResponseHelpers(raw, url, hop > 0);
        }
        if (hop >= maxRedirects) {
          throw new OutboundError("redirect", `Too many redirects (more than ${maxRedirects})`);
        }
        // The next hop is a brand-new destination: it goes through parseUrl and vetHost again.
        const next = parseUrl(location, url);
        if (next.origin !== url.origin)
          for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
        const becomesGet =
          (raw.status === 303 && method !== "HEAD") ||
          ((raw.status === 301 || raw.status === 302) && method === "POST");
        if (becomesGet) {
          method = "GET";
          body = undefined;
          headers.delete("content-type");
        }
        url = next;
      }
    },

    vetHost(host, port, vetOptions = {}) {
      const timeoutMs = vetOptions.timeoutMs ?? options.timeoutMs ?? 15_000;
      return vet(host, port, Date.now() + timeoutMs);
    },
  };
}
