import { createHash, createSecretKey, type KeyObject } from "node:crypto";
import { ConfigError } from "../../config/env.ts";

/**
 * The encryption keys the vault may use. Keys are held as KeyObjects so that logging or
 * inspecting a keyring by accident never prints key material.
 */
export interface Keyring {
  /** New ciphertexts are written under this key. */
  readonly activeKeyId: string;
  /** Every key that may still be read, active one included. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

export interface KeyringSource {
  /** FLUXO_ENCRYPTION_KEY: one base64 key; its id is derived from the key itself. */
  key?: string | undefined;
  /** FLUXO_ENCRYPTION_KEYS: `kid:base64key,kid2:base64key2`, the first one is active. */
  keys?: string | undefined;
}

/** A configuration mistake; the message names the problem but never contains key material. */
export class KeyringError extends ConfigError {
  override name = "KeyringError";
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;
// Standard base64 or base64url, optional padding; Node's decoder silently skips other characters.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Stable id for a key given without one: "k" + 8 hex chars of SHA-256(key). Stable across
 * restarts, and an operator moving to FLUXO_ENCRYPTION_KEYS can list the old key without an
 * id (or under this id) and keep reading old ciphertexts.
 */
export function deriveKeyId(key: Buffer): string {
  return `k${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
}

/** Builds the keyring from configuration; exactly one of `key` or `keys` must be set. */
export function parseKeyring(source: KeyringSource): Keyring {
  const single = source.key?.trim();
  const list = source.keys?.trim();
  if (single && list) {
    throw new KeyringError(
      "Set either FLUXO_ENCRYPTION_KEY or FLUXO_ENCRYPTION_KEYS, not both (list the old key in FLUXO_ENCRYPTION_KEYS to keep reading it)",
    );
  }
  if (list) return keyringFromList(list);
  if (single) {
    const key = decodeKey(single, "FLUXO_ENCRYPTION_KEY");
    return buildKeyring([[deriveKeyId(key), key]]);
  }
  throw new KeyringError("No encryption key: set FLUXO_ENCRYPTION_KEY or FLUXO_ENCRYPTION_KEYS");
}

/** `kid:key,kid:key`; an entry without `kid:` gets the derived id (base64 never contains ':'). */
function keyringFromList(list: string): Keyring {
  const entries: [string, Buffer][] = [];
  const seen = new Set<string>();
  list.split(",").forEach((raw, index) => {
    const where = `FLUXO_ENCRYPTION_KEYS entry ${index + 1}`;
    const entry = raw.trim();
    if (!entry) throw new KeyringError(`${where} is empty`);
    const colon = entry.indexOf(":");
    const key = decodeKey(colon === -1 ? entry : entry.slice(colon + 1).trim(), where);
    const kid = colon === -1 ? deriveKeyId(key) : entry.slice(0, colon).trim();
    // The invalid id itself is not echoed: a pasted-in key could end up in that position.
    if (!KEY_ID_PATTERN.test(kid)) {
      throw new KeyringError(
        `${where} has an invalid key id: use 1 to 32 characters from A-Z a-z 0-9 _ -`,
      );
    }
    if (seen.has(kid)) throw new KeyringError(`${where} repeats key id ${kid}`);
    seen.add(kid);
    entries.push([kid, key]);
  });
  return buildKeyring(entries);
}

function decodeKey(text: string, where: string): Buffer {
  const hint = "must be 32 random bytes encoded as base64 (e.g. `openssl rand -base64 32`)";
  if (!text) throw new KeyringError(`${where} has no key: ${hint}`);
  if (!BASE64.test(text)) throw new KeyringError(`${where} is not valid base64: ${hint}`);
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) {
    throw new KeyringError(`${where} decodes to ${key.length} bytes: ${hint}`);
  }
  return key;
}

function buildKeyring(entries: [string, Buffer][]): Keyring {
  const [first] = entries;
  if (!first) throw new KeyringError("The keyring is empty");
  const keys = new Map(entries.map(([kid, key]) => [kid, createSecretKey(key)] as const));
  for (const [, key] of entries) key.fill(0);
  return Object.freeze({ activeKeyId: first[0], keys });
}

/**
 * The FLUXO_ENCRYPTION_KEYS text for the given keys of the ring, active key first. It holds
 * key material: only for the development data directory's secrets file.
 */
export function formatKeyring(ring: Keyring, keep: (keyId: string) => boolean): string {
  const ids = [ring.activeKeyId, ...[...ring.keys.keys()].filter((id) => id !== ring.activeKeyId)];
  return ids
    .filter((id) => id === ring.activeKeyId || keep(id))
    .map((id) => `${id}:${ring.keys.get(id)?.export().toString("base64")}`)
    .join(",");
}
