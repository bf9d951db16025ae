import { z } from "zod";

// Shared field rules. Values end up in headers, SMTP commands and connection strings, so
// control characters (CR/LF injection, NUL truncation) are refused everywhere.

const hasControl = (v: string) =>
  [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** A required single-line string. */
export const text = (max = 1024) =>
  z
    .string()
    .min(1, "is required")
    .max(max)
    .refine((v) => !hasControl(v), "must not contain control characters or line breaks");

/** A DNS name or an IP literal; no scheme, path or port. */
export const hostname = () =>
  text(253).regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/,
    "must be a host name or IP address, without scheme or port",
  );

export const port = () =>
  z.number().int("must be a whole number").min(1, "must be 1-65535").max(65535, "must be 1-65535");
