import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * `flx_` + 32 random bytes in base62 (43 characters) + a 6-character base62 CRC32 of
 * everything before it. The checksum lets the server (and secret scanners) reject a
 * mistyped or invented key without a database lookup; it adds no secrecy.
 */
export const KEY_PREFIX = "flx_";
const RANDOM_CHARS = 43;
const CHECKSUM_CHARS = 6;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS + CHECKSUM_CHARS}}$`);

function base62(value: bigint, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, "0");
}

const checksum = (body: string) => base62(BigInt(crc32(body)), CHECKSUM_CHARS);

export function generateApiKey(): string {
  const body = KEY_PREFIX + base62(BigInt(`0x${randomBytes(32).toString("hex")}`), RANDOM_CHARS);
  return body + checksum(body);
}

/** Shape and checksum only: a key that passes may still be unknown, revoked or expired. */
export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_SHAPE.test(key)) return false;
  const body = key.slice(0, -CHECKSUM_CHARS);
  return checksum(body) === key.slice(-CHECKSUM_CHARS);
}

/** What lists show to tell keys apart: `flx_` and the first 8 characters after it. */
export const displayPrefix = (key: string) => key.slice(0, KEY_PREFIX.length + 8);
