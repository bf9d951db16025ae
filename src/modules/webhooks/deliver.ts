import { performance } from "node:perf_hooks";
import { OutboundError } from "../../net/errors.ts";
import type { Outbound } from "../../net/outbound.ts";
import { deliveryHeaders } from "./signing.ts";

/** Svix's figure: the first 20,000 bytes of a response body are kept. */
export const RESPONSE_BODY_LIMIT = 20_000;
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

/** Response headers worth keeping for someone debugging their receiver. */
const KEPT_HEADERS = [
  "content-type",
  "content-length",
  "retry-after",
  "location",
  "date",
  "server",
  "x-request-id",
];

export interface AttemptRequest {
  url: string;
  deliveryId: string;
  body: string;
  /** Current secret first, then the previous one while its grace period runs. */
  secrets: readonly string[];
}

/** What happened on the wire; no request header (so no signature) is kept. */
export interface AttemptResult {
  url: string;
  requestedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  /** timeout, dns, refused, blocked, tls, network, invalid, internal. */
  errorKind: string | null;
  error: string | null;
}

export interface SendOptions {
  now: Date;
  timeoutMs: number;
}

/**
 * One POST through the outbound guard (no redirects followed: a 3xx is a failed attempt).
 * Never throws: every outcome, including a refused destination, becomes an AttemptResult.
 */
export async function sendAttempt(
  outbound: Outbound,
  request: AttemptRequest,
  options: SendOptions,
): Promise<AttemptResult> {
  const headers = deliveryHeaders(
    {
      id: request.deliveryId,
      timestamp: Math.floor(options.now.getTime() / 1000),
      body: request.body,
    },
    request.secrets,
  );
  const started = performance.now();
  const base = { url: request.url, requestedAt: options.now };
  try {
    const response = await outbound.fetch(request.url, {
      method: "POST",
      headers,
      body: request.body,
      timeoutMs: options.timeoutMs,
      // only what is kept is read: a receiver's long answer does not turn success into failure
      maxResponseBytes: RESPONSE_BODY_LIMIT,
      truncateResponse: true,
      maxRedirects: 0,
    });
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    return {
      ...base,
      durationMs: elapsed(started),
      responseStatus: response.status,
      responseHeaders: kept,
      responseBody: storableText(response.body),
      errorKind: null,
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      durationMs: elapsed(started),
      responseStatus: null,
      responseHeaders: {},
      responseBody: null,
      errorKind: errorKind(error),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** PostgreSQL text cannot hold NUL; a cut multi-byte character becomes U+FFFD. */
function storableText(bytes: Buffer): string {
  return bytes.toString("utf8").replaceAll("\u0000", "\uFFFD");
}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|ERR_CERT|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_)/;

function errorKind(error: unknown): string {
  if (!(error instanceof OutboundError)) return "internal";
  if (error.failure !== "connect") return error.failure;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? "";
  if (code === "ECONNREFUSED") return "refused";
  if (TLS_CODE.test(code)) return "tls";
  return "network";
}
