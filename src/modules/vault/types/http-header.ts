import { z } from "zod";
import { defineCredentialType } from "./define.ts";

// Headers that decide framing, routing or connection handling: a credential must not be able
// to smuggle a second request or redirect one to another virtual host.
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
]);

/** One custom header, e.g. `X-API-Key: <value>`. */
export const httpHeader = defineCredentialType({
  id: "http_header",
  displayName: "HTTP header",
  settings: z.strictObject({
    headerName: z
      .string()
      .min(1, "is required")
      .max(128)
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a valid HTTP header name")
      .refine((v) => !FORBIDDEN_HEADERS.has(v.toLowerCase()), "this header cannot be set"),
  }),
  secret: z.strictObject({
    // RFC 9110 field-value: visible characters, spaces and tabs; never CR, LF or NUL.
    value: z
      .string()
      .min(1, "is required")
      .max(8192)
      .regex(/^[\t\x20-\x7e\x80-\xff]+$/, "must not contain line breaks or control characters"),
  }),
});
