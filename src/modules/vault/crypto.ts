import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KEY_ID_PATTERN, type Keyring } from "./keyring.ts";

/**
 * Envelope format (one ASCII string, safe to store in a text column):
 *
 *   v1.<kid>.<iv>.<ciphertext>.<tag>
 *
 * - v1: AES-256-GCM, 96-bit random IV, 128-bit tag, plaintext = JSON of the secret object.
 * - kid: the keyring id of the key used ([A-Za-z0-9_-]{1,32}, so it never contains a dot).
 * - iv, ciphertext, tag: unpadded base64url, canonical (re-encoding must give the same text).
 * - AAD: JSON ["fluxo.vault.v1", orgId, credentialId, credentialType]; a JSON array is
 *   unambiguous where plain concatenation is not ("a"+"bc" vs "ab"+"c"). It is not stored:
 *   the caller supplies it from the row, so a ciphertext moved to another row fails.
 */
const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = "fluxo.vault.v1";

/** What a ciphertext belongs to; all three are authenticated on every decrypt. */
export interface CredentialBinding {
  orgId: string;
  credentialId: string;
  credentialType: string;
}

export type SecretObject = Record<string, unknown>;

export type VaultCryptoReason = "malformed" | "unknown_key" | "cannot_decrypt" | "invalid_input";

/**
 * Not an AppError on purpose: these are server-side faults, so transports answer a generic
 * 500 while logs keep the reason. Messages name ids only, never secret or key material.
 */
export class VaultCryptoError extends Error {
  override name = "VaultCryptoError";
  constructor(
    readonly reason: VaultCryptoReason,
    message: string,
  ) {
    super(message);
  }
}

interface Envelope {
  kid: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Encrypts a JSON-serialisable secret object under the ring's active key. */
export function encryptSecret(
  ring: Keyring,
  binding: CredentialBinding,
  secret: SecretObject,
): string {
  const kid = ring.activeKeyId;
  const key = ring.keys.get(kid);
  if (!key) throw unknownKey(kid);
  const plaintext = serialise(secret);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(encodeAad(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  plaintext.fill(0);
  const tag = cipher.getAuthTag();
  return [VERSION, kid, b64(iv), b64(ciphertext), b64(tag)].join(".");
}

/** Decrypts with the key the envelope names; fails unless the binding matches exactly. */
export function decryptSecret(
  ring: Keyring,
  binding: CredentialBinding,
  envelope: string,
): SecretObject {
  const { kid, iv, ciphertext, tag } = parseEnvelope(envelope);
  const key = ring.keys.get(kid);
  if (!key) throw unknownKey(kid);
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(encodeAad(binding));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key, a wrong binding and a tampered byte apart; nor should we.
    throw new VaultCryptoError(
      "cannot_decrypt",
      `Cannot decrypt credential ${binding.credentialId}: the ciphertext was altered or belongs to another credential, organization or type`,
    );
  }
  try {
    return JSON.parse(plaintext.toString("utf8")) as SecretObject;
  } finally {
    plaintext.fill(0);
  }
}

/** The key id an envelope was written under (throws if the envelope is malformed). */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope).kid;
}

/** True when the envelope was not written under the active key. */
export function needsRotation(ring: Keyring, envelope: string): boolean {
  return envelopeKeyId(envelope) !== ring.activeKeyId;
}

/** Re-encrypts under the active key; returns the envelope unchanged when already current. */
export function reencryptSecret(
  ring: Keyring,
  binding: CredentialBinding,
  envelope: string,
): string {
  if (!needsRotation(ring, envelope)) return envelope;
  return encryptSecret(ring, binding, decryptSecret(ring, binding, envelope));
}

function encodeAad({ orgId, credentialId, credentialType }: CredentialBinding): Buffer {
  for (const [name, value] of Object.entries({ orgId, credentialId, credentialType })) {
    if (typeof value !== "string" || value === "") {
      throw new VaultCryptoError(
        "invalid_input",
        `The credential binding needs a non-empty ${name}`,
      );
    }
  }
  return Buffer.from(JSON.stringify([AAD_LABEL, orgId, credentialId, credentialType]), "utf8");
}

function serialise(secret: SecretObject): Buffer {
  if (typeof secret !== "object" || secret === null || Array.isArray(secret)) {
    throw new VaultCryptoError("invalid_input", "The secret must be a plain object");
  }
  let json: string;
  try {
    json = JSON.stringify(secret);
  } catch {
    // JSON.stringify errors can quote values; say only what went wrong.
    throw new VaultCryptoError("invalid_input", "The secret is not JSON-serialisable");
  }
  return Buffer.from(json, "utf8");
}

function parseEnvelope(envelope: string): Envelope {
  const parts = typeof envelope === "string" ? envelope.split(".") : [];
  const [version, kid, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || version !== VERSION)
    throw malformed("expected v1.<kid>.<iv>.<ciphertext>.<tag>");
  if (!kid || !KEY_ID_PATTERN.test(kid)) throw malformed("invalid key id");
  const ivBytes = unb64(iv, "iv");
  const tagBytes = unb64(tag, "tag");
  if (ivBytes.length !== IV_BYTES) throw malformed(`iv must be ${IV_BYTES} bytes`);
  if (tagBytes.length !== TAG_BYTES) throw malformed(`tag must be ${TAG_BYTES} bytes`);
  return { kid, iv: ivBytes, ciphertext: unb64(ciphertext, "ciphertext"), tag: tagBytes };
}

const b64 = (bytes: Buffer) => bytes.toString("base64url");

/** Strict base64url: Node's decoder ignores stray characters and non-zero trailing bits. */
function unb64(text: string | undefined, part: string): Buffer {
  const bytes = Buffer.from(text ?? "", "base64url");
  if (!text || b64(bytes) !== text) throw malformed(`${part} is not canonical base64url`);
  return bytes;
}

const malformed = (why: string) =>
  new VaultCryptoError("malformed", `Malformed credential ciphertext: ${why}`);

const unknownKey = (kid: string) =>
  new VaultCryptoError("unknown_key", `Key id ${kid} is not in the keyring`);
