import { createHmac } from "node:crypto";
import { WEBHOOK_SECRET_PREFIX } from "./secrets.ts";

/** What one delivery attempt signs (Standard Webhooks). */
export interface SignedContent {
  /** The delivery id (`webhook-id`), identical on every attempt. */
  id: string;
  /** Unix seconds (`webhook-timestamp`). */
  timestamp: number;
  /** The exact bytes sent as the request body. */
  body: string;
}

/**
 * `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>` for each secret, space-separated, so a
 * receiver still holding the previous secret verifies during a rotation's grace period.
 */
export function signatureHeader(content: SignedContent, secrets: readonly string[]): string {
  if (secrets.length === 0) throw new Error("A webhook needs at least one signing secret");
  const signed = `${content.id}.${content.timestamp}.${content.body}`;
  return secrets
    .map((secret) => `v1,${createHmac("sha256", hmacKey(secret)).update(signed).digest("base64")}`)
    .join(" ");
}

/** The HMAC key is the decoded bytes after `whsec_`, not the text of the secret. */
function hmacKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error("Not a whsec_ webhook secret");
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), "base64");
}

/** The request headers of one attempt; the timestamp is the time of this attempt, not the event. */
export function deliveryHeaders(
  content: SignedContent,
  secrets: readonly string[],
): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Fluxo-Webhooks/1",
    "webhook-id": content.id,
    "webhook-timestamp": String(content.timestamp),
    "webhook-signature": signatureHeader(content, secrets),
  };
}
