import { z } from "zod";
import { badRequest } from "../../../lib/errors.ts";
import type { OutboundResponse } from "../../../net/outbound.ts";
import { RESERVED_REQUEST_HEADERS } from "../../../net/reserved-headers.ts";
import { httpBasic } from "../../vault/types/http-basic.ts";
import { httpBearer } from "../../vault/types/http-bearer.ts";
import { httpHeader } from "../../vault/types/http-header.ts";
import type { UnsealedCredential } from "../../vault/use.ts";
import { describeUrl, outboundFailure, readCredential, untilAborted } from "./support.ts";
import { defineNode } from "./types.ts";

const DEFAULT_TIMEOUT_MS = 15_000;

// Response headers that hand out sessions: they would end up in the execution log.
const HIDDEN_RESPONSE_HEADERS = new Set(["set-cookie", "set-cookie2"]);

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, "must be a valid HTTP header name")
  .refine((name) => !RESERVED_REQUEST_HEADERS.has(name.toLowerCase()), "is set by Fluxo itself");

// The characters node:http accepts in a field value: no CR, LF, NUL or other controls.
const headerValue = z
  .string()
  .max(8192)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, "must not contain line breaks or control characters");

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !url.username;
  } catch {
    return false;
  }
};

export const httpRequestParameters = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  url: z
    .string()
    .max(8192)
    .refine(isHttpUrl, "must be an http:// or https:// URL without user name or password")
    .describe("An http:// or https:// address; sign-in goes in the credential, not the URL."),
  headers: z
    .record(headerName, headerValue)
    .default({})
    .describe("Request headers; the credential adds its own (e.g. Authorization)."),
  body: z
    .json()
    .optional()
    .describe("A string is sent as is; any other JSON value is sent as application/json."),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(300_000)
    .optional()
    .describe(`How long to wait for the answer, in milliseconds (default ${DEFAULT_TIMEOUT_MS}).`),
  failOnStatus: z
    .boolean()
    .default(false)
    .describe("Fail the node on a non-2xx answer; otherwise it is output like any other."),
});

type Parameters = z.output<typeof httpRequestParameters>;

/** Adds the credential's header. It overrides a parameter header of the same name. */
export function applyCredential(headers: Headers, credential: UnsealedCredential) {
  switch (credential.type) {
    case "http_bearer": {
      const { secret } = readCredential(credential, httpBearer);
      headers.set("authorization", `Bearer ${secret.token}`);
      return;
    }
    case "http_basic": {
      const { settings, secret } = readCredential(credential, httpBasic);
      const pair = Buffer.from(`${settings.username}:${secret.password}`, "utf8");
      headers.set("authorization", `Basic ${pair.toString("base64")}`);
      return;
    }
    case "http_header": {
      const { settings, secret } = readCredential(credential, httpHeader);
      headers.set(settings.headerName, secret.value);
      return;
    }
    default:
      throw badRequest(`An HTTP request cannot use a ${credential.type} credential`, "credential");
  }
}

function requestBody(p: Parameters, headers: Headers): string | undefined {
  // Absent and null both mean "no body", so an expression that yields nothing sends nothing.
  if (p.body === undefined || p.body === null) return undefined;
  if (p.method === "HEAD") throw badRequest("A HEAD request cannot have a body", "body");
  if (typeof p.body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    return p.body;
  }
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return JSON.stringify(p.body);
}

const isJson = (type: string) => /^application\/(?:[\w.-]+\+)?json\b/i.test(type);
const isText = (type: string) =>
  type === "" ||
  /^text\//i.test(type) ||
  /charset=|xml|javascript|x-www-form-urlencoded/i.test(type);

/** JSON when the server says JSON (text if it does not parse), text, else base64. */
function responseBody(res: OutboundResponse): { body: unknown; bodyEncoding?: "base64" } {
  const type = res.headers.get("content-type") ?? "";
  if (res.body.length === 0) return { body: "" };
  if (isJson(type)) {
    try {
      return { body: res.json() };
    } catch {
      return { body: res.text() };
    }
  }
  if (isText(type)) return { body: res.text() };
  return { body: res.body.toString("base64"), bodyEncoding: "base64" };
}

function visibleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (!HIDDEN_RESPONSE_HEADERS.has(name)) out[name] = value;
  return out;
}

/** A non-2xx answer under `failOnStatus`; `status` lets a retry policy tell 503 from 404. */
export class HttpStatusError extends Error {
  constructor(
    label: string,
    readonly status: number,
    statusText: string,
  ) {
    super(`${label} answered ${status} ${statusText.slice(0, 100)}`.trim());
    this.name = "HttpStatusError";
  }
}

export const httpRequest = defineNode({
  type: "http_request",
  displayName: "HTTP request",
  kind: "action",
  parameters: httpRequestParameters,
  credential: { types: ["http_bearer", "http_basic", "http_header"], required: false },
  timeoutMs: 60_000,
  async run(ctx) {
    const p = ctx.parameters;
    const timeoutMs = p.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const label = `HTTP request to ${describeUrl(p.url)}`;
    const headers = new Headers(p.headers);
    const body = requestBody(p, headers);

    // No redirect is followed: an http_header credential is not an origin-bound header the
    // guard strips, so following one could hand it to another host. A 3xx is the output.
    const send = (credential?: UnsealedCredential) => {
      const sent = new Headers(headers);
      if (credential) applyCredential(sent, credential);
      return ctx.outbound.fetch(p.url, {
        method: p.method,
        headers: sent,
        body,
        timeoutMs,
        maxRedirects: 0,
      });
    };
    let res: OutboundResponse;
    try {
      const work = ctx.hasCredential ? ctx.useCredential(send) : send();
      res = await untilAborted(ctx.signal, work, label);
    } catch (error) {
      throw outboundFailure(error, label, timeoutMs);
    }

    if (p.failOnStatus && !res.ok) throw new HttpStatusError(label, res.status, res.statusText);
    return {
      output: { status: res.status, headers: visibleHeaders(res.headers), ...responseBody(res) },
    };
  },
});
