import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret, VaultCryptoError } from "../vault/crypto.ts";
import type { Keyring } from "../vault/keyring.ts";

/** Standard Webhooks secret prefix; the rest is base64 of the HMAC key bytes. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
const CREDENTIAL_TYPE = "webhook_secret";

export interface WebhookSecretOwner {
  orgId: string;
  endpointId: string;
}

/** A fresh signing secret: `whsec_` + base64 of 32 bytes from the CSPRNG. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/**
 * Encrypts the secret with the vault keyring, bound to its organization and endpoint, so an
 * envelope copied to another endpoint's row cannot be opened.
 */
export function sealWebhookSecret(
  ring: Keyring,
  owner: WebhookSecretOwner,
  secret: string,
): string {
  return encryptSecret(ring, binding(owner), { secret });
}

export function openWebhookSecret(
  ring: Keyring,
  owner: WebhookSecretOwner,
  envelope: string,
): string {
  const { secret } = decryptSecret(ring, binding(owner), envelope);
  if (typeof secret !== "string" || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new VaultCryptoError(
      "malformed",
      `Webhook secret of endpoint ${owner.endpointId} is not a whsec_ secret`,
    );
  }
  return secret;
}

const binding = ({ orgId, endpointId }: WebhookSecretOwner) => ({
  orgId,
  credentialId: endpointId,
  credentialType: CREDENTIAL_TYPE,
});
