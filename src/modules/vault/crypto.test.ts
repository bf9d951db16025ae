import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  type CredentialBinding,
  decryptSecret,
  encryptSecret,
  envelopeKeyId,
  needsRotation,
  reencryptSecret,
  VaultCryptoError,
} from "./crypto.ts";
import { deriveKeyId, KeyringError, parseKeyring } from "./keyring.ts";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");
const ringA = parseKeyring({ keys: `A:${keyA}` });
const ringBA = parseKeyring({ keys: `B:${keyB},A:${keyA}` });
const ringB = parseKeyring({ keys: `B:${keyB}` });

const canary = `canary-${randomBytes(12).toString("hex")}`;
const secret = { token: canary, nested: { n: 1, list: ["x"] } };
const binding: CredentialBinding = {
  orgId: "org_1",
  credentialId: "cred_1",
  credentialType: "http_bearer",
};

/** Returns the error thrown by fn, failing the test when nothing is thrown. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("expected an error, none was thrown");
}

function expectNoSecrets(error: Error) {
  const text = `${error.message}\n${error.stack ?? ""}\n${inspect(error)}`;
  for (const material of [canary, keyA, keyB]) expect(text).not.toContain(material);
}

describe("encrypt / decrypt", () => {
  it("round-trips a secret object", () => {
    const envelope = encryptSecret(ringA, binding, secret);
    expect(decryptSecret(ringA, binding, envelope)).toEqual(secret);
  });

  it("writes the documented envelope and never the plaintext", () => {
    const envelope = encryptSecret(ringA, binding, secret);
    expect(envelope).toMatch(/^v1\.A\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(envelope).not.toContain(canary);
    expect(Buffer.from(envelope).toString("base64")).not.toContain(canary);
  });

  it("uses a fresh IV each time, so equal secrets give different envelopes", () => {
    const first = encryptSecret(ringA, binding, secret);
    const second = encryptSecret(ringA, binding, secret);
    expect(first).not.toBe(second);
    expect(first.split(".")[2]).not.toBe(second.split(".")[2]);
  });

  it("refuses secrets that are not plain JSON objects", () => {
    expect(() => encryptSecret(ringA, binding, [] as never)).toThrow(/plain object/);
    const err = errorOf(() => encryptSecret(ringA, binding, { n: BigInt(1), token: canary }));
    expect(err).toBeInstanceOf(VaultCryptoError);
    expectNoSecrets(err);
  });
});

describe("binding (AAD)", () => {
  const envelope = encryptSecret(ringA, binding, secret);
  const moves: [string, CredentialBinding][] = [
    ["another credential", { ...binding, credentialId: "cred_2" }],
    ["another organization", { ...binding, orgId: "org_2" }],
    ["another type", { ...binding, credentialType: "http_header" }],
    // Naive concatenation would make these equal to the original binding.
    ["shifted fields", { orgId: "org_1c", credentialId: "red_1", credentialType: "http_bearer" }],
  ];

  it.each(moves)("fails when copied onto %s", (_, other) => {
    const err = errorOf(() => decryptSecret(ringA, other, envelope));
    expect(err).toBeInstanceOf(VaultCryptoError);
    expect((err as VaultCryptoError).reason).toBe("cannot_decrypt");
    expect(err.message).toMatch(/cannot decrypt/i);
    expectNoSecrets(err);
  });
});

describe("tampering", () => {
  const envelope = encryptSecret(ringA, binding, secret);
  const [version, kid, ...parts] = envelope.split(".");

  /** Flips one bit in byte `index` of part `part` (0 iv, 1 ciphertext, 2 tag). */
  function flip(part: number, index: number): string {
    const bytes = Buffer.from(parts[part] ?? "", "base64url");
    bytes[index] = (bytes[index] ?? 0) ^ 0x01;
    const copy = [...parts];
    copy[part] = bytes.toString("base64url");
    return [version, kid, ...copy].join(".");
  }

  it.each([
    ["iv", 0],
    ["ciphertext", 1],
    ["tag", 2],
  ] as const)("rejects every flipped byte of the %s", (_, part) => {
    const length = Buffer.from(parts[part] ?? "", "base64url").length;
    expect(length).toBeGreaterThan(0);
    for (let i = 0; i < length; i++) {
      const err = errorOf(() => decryptSecret(ringA, binding, flip(part, i)));
      expect((err as VaultCryptoError).reason).toBe("cannot_decrypt");
      expectNoSecrets(err);
    }
  });

  it("rejects truncated, extended and non-canonical envelopes as malformed", () => {
    const tag = parts[2] ?? "";
    // 16 bytes take 22 characters; the last one carries 4 unused bits. Setting one of them
    // gives text that Node would decode to the same tag, and that we must refuse.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(tag.slice(-1));
    const nonCanonicalTag = tag.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(nonCanonicalTag, "base64url")).toEqual(Buffer.from(tag, "base64url"));
    const bad = [
      "",
      "v2.A.x.y.z",
      envelope.split(".").slice(0, 4).join("."),
      `${envelope}.extra`,
      [version, kid, parts[0], parts[1], tag.slice(0, -2)].join("."),
      [version, kid, parts[0], parts[1], nonCanonicalTag].join("."),
      [version, "bad kid!", ...parts].join("."),
    ];
    for (const text of bad) {
      const err = errorOf(() => decryptSecret(ringA, binding, text));
      expect((err as VaultCryptoError).reason, text).toBe("malformed");
    }
  });
});

describe("keys and rotation", () => {
  it("names an unknown key id", () => {
    const envelope = encryptSecret(ringA, binding, secret);
    const err = errorOf(() => decryptSecret(ringB, binding, envelope));
    expect((err as VaultCryptoError).reason).toBe("unknown_key");
    expect(err.message).toBe("Key id A is not in the keyring");
    expectNoSecrets(err);
  });

  it("reads old keys from the ring and reports that rotation is due", () => {
    const envelope = encryptSecret(ringA, binding, secret);
    expect(needsRotation(ringA, envelope)).toBe(false);
    expect(needsRotation(ringBA, envelope)).toBe(true);
    expect(decryptSecret(ringBA, binding, envelope)).toEqual(secret);
  });

  it("re-encrypts under the active key, and leaves current envelopes alone", () => {
    const old = encryptSecret(ringA, binding, secret);
    const rotated = reencryptSecret(ringBA, binding, old);
    expect(envelopeKeyId(rotated)).toBe("B");
    expect(needsRotation(ringBA, rotated)).toBe(false);
    expect(decryptSecret(ringB, binding, rotated)).toEqual(secret);
    expect(reencryptSecret(ringBA, binding, rotated)).toBe(rotated);
  });

  it("fails with a wrong key that carries the same id", () => {
    const envelope = encryptSecret(ringA, binding, secret);
    const impostor = parseKeyring({ keys: `A:${keyB}` });
    const err = errorOf(() => decryptSecret(impostor, binding, envelope));
    expect((err as VaultCryptoError).reason).toBe("cannot_decrypt");
  });

  it("single-key rings get a stable derived id that a key list can reuse", () => {
    const single = parseKeyring({ key: keyA });
    const kid = deriveKeyId(Buffer.from(keyA, "base64"));
    expect(single.activeKeyId).toBe(kid);
    expect(kid).toMatch(/^k[0-9a-f]{8}$/);
    expect(parseKeyring({ key: keyA }).activeKeyId).toBe(kid);
    const envelope = encryptSecret(single, binding, secret);
    expect(envelopeKeyId(envelope)).toBe(kid);
    // Moving to FLUXO_ENCRYPTION_KEYS: the old key listed without an id still reads it.
    const migrated = parseKeyring({ keys: `B:${keyB},${keyA}` });
    expect(decryptSecret(migrated, binding, envelope)).toEqual(secret);
  });
});

describe("keyring parsing", () => {
  const cases: [string, Parameters<typeof parseKeyring>[0], RegExp][] = [
    ["nothing configured", {}, /No encryption key/],
    ["both variables", { key: keyA, keys: `A:${keyA}` }, /either .* not both/],
    ["a short key", { key: randomBytes(16).toString("base64") }, /decodes to 16 bytes/],
    ["a long key", { keys: `A:${randomBytes(33).toString("base64")}` }, /entry 1 decodes to 33/],
    ["not base64", { key: `${keyA.slice(0, 40)}!!!!` }, /not valid base64/],
    ["an empty entry", { keys: `A:${keyA},,B:${keyB}` }, /entry 2 is empty/],
    ["a missing key", { keys: `A:${keyA},B:` }, /entry 2 has no key/],
    ["an empty id", { keys: `:${keyA}` }, /entry 1 has an invalid key id/],
    ["a bad id", { keys: `A:${keyA},b a d:${keyB}` }, /entry 2 has an invalid key id/],
    ["a long id", { keys: `${"x".repeat(33)}:${keyA}` }, /entry 1 has an invalid key id/],
    ["a duplicate id", { keys: `A:${keyA},A:${keyB}` }, /entry 2 repeats key id A/],
  ];

  it.each(cases)("rejects %s with a clear error", (_, source, message) => {
    const err = errorOf(() => parseKeyring(source));
    expect(err).toBeInstanceOf(KeyringError);
    expect(err.message).toMatch(message);
    expectNoSecrets(err);
  });

  it("never echoes a key pasted where the id belongs", () => {
    const err = errorOf(() => parseKeyring({ keys: `${keyB}:${keyA}` }));
    expect(err.message).toMatch(/invalid key id/);
    expectNoSecrets(err);
  });

  it("accepts base64url keys, spaces around entries, and puts the first key first", () => {
    const url = randomBytes(32).toString("base64url");
    const ring = parseKeyring({ keys: ` new : ${url} , A:${keyA} ` });
    expect(ring.activeKeyId).toBe("new");
    expect([...ring.keys.keys()]).toEqual(["new", "A"]);
  });

  it("does not reveal key material when inspected or serialised", () => {
    const text = `${inspect(ringBA, { depth: 5 })}${JSON.stringify({ ...ringBA, keys: [...ringBA.keys] })}`;
    expect(text).not.toContain(keyA);
    expect(text).not.toContain(Buffer.from(keyA, "base64").toString("hex"));
  });
});
