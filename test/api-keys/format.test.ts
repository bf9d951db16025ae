import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateApiKey,
  isWellFormedApiKey,
  KEY_PREFIX,
} from "../../src/modules/api-keys/format.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("API key format", () => {
  it("generates distinct, well-formed keys of the documented shape", () => {
    const keys = Array.from({ length: 2000 }, generateApiKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^flx_[0-9A-Za-z]{49}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(displayPrefix(keys[0] as string)).toBe((keys[0] as string).slice(0, 12));
  });

  it("rejects every single-character change, anywhere in the key", () => {
    const key = generateApiKey();
    let changes = 0;
    for (let i = 0; i < key.length; i++) {
      for (const c of `${ALPHABET}_-`) {
        if (c === key[i]) continue;
        const changed = key.slice(0, i) + c + key.slice(i + 1);
        expect(isWellFormedApiKey(changed), changed).toBe(false);
        changes++;
      }
    }
    expect(changes).toBe(key.length * (ALPHABET.length + 1));
  });

  it("rejects swapped neighbours, truncation, extra characters and other prefixes", () => {
    const key = generateApiKey();
    for (let i = KEY_PREFIX.length; i < key.length - 1; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      expect(isWellFormedApiKey(swapped), swapped).toBe(false);
    }
    for (let n = 0; n < key.length; n++) expect(isWellFormedApiKey(key.slice(0, n))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey(` ${key}`)).toBe(false);
    const body = key.slice(KEY_PREFIX.length);
    for (const prefix of ["FLX_", "flx-", "sk_", "ghp_", "", "flx__"]) {
      expect(isWellFormedApiKey(prefix + body)).toBe(false);
    }
    expect(isWellFormedApiKey(key.toUpperCase())).toBe(false);
  });
});
