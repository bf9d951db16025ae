import { z } from "zod";
import { RESERVED_REQUEST_HEADERS } from "../../../net/reserved-headers.ts";
import { defineCredentialType } from "./define.ts";

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
      .refine((v) => !RESERVED_REQUEST_HEADERS.has(v.toLowerCase()), "this header cannot be set"),
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
