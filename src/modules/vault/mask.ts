import { getCredentialType, parseCredential } from "./types/index.ts";
import type { UnsealedCredential } from "./use.ts";

/** What replaces a secret in an execution log. */
export const MASK = "***";

/**
 * Secrets shorter than this are not masked: replacing every "abc" in a log would make it
 * useless and hide little, since a secret that short is guessable anyway.
 */
export const MIN_MASKED_CHARS = 4;

const base64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");
const base64url = (bytes: Buffer) => bytes.toString("base64url");

/**
 * The strings that reveal `secret`: itself, URL-encoded, JSON-escaped (inside a JSON text),
 * and base64/base64url — standalone, and the run of characters it encodes to inside a longer
 * base64 text, for each of the three byte alignments it can start at.
 */
function revealingForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    base64(bytes),
    base64url(bytes),
  ];
  for (const offset of [0, 1, 2]) {
    // A character encodes 6 bits; keep only those made of the secret's bits alone.
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor((padded.length * 8) / 6);
    forms.push(base64(padded).slice(first, end), base64url(padded).slice(first, end));
  }
  return forms;
}

/** The secret field values of a credential, plus what its type says also reveals them. */
function secretValues(credential: UnsealedCredential): string[] {
  const values = Object.values(credential.secret).filter((v) => typeof v === "string");
  try {
    const type = getCredentialType(credential.type);
    values.push(...(type.revealedBy?.(parseCredential(type, credential)) ?? []));
  } catch {
    // An invalid credential fails the node before it is sent anywhere; its fields still count.
  }
  return values;
}

/**
 * Masks the secrets of the credentials a step used, wherever they appear in what is logged
 * of it: as a substring of any string, object key or number, at any depth. Everything else
 * (dates, booleans, null) passes through unchanged.
 */
export class SecretMask {
  private forms = new Set<string>();
  private pattern: RegExp | undefined;

  add(credential: UnsealedCredential): void {
    for (const value of secretValues(credential)) {
      if (value.length < MIN_MASKED_CHARS) continue;
      for (const form of revealingForms(value)) {
        if (form.length >= MIN_MASKED_CHARS) this.forms.add(form);
      }
    }
    // Finds in one pass whether a string holds any form at all; most hold none.
    const alternatives = [...this.forms].map(escapeRegExp);
    this.pattern = alternatives.length ? new RegExp(alternatives.join("|")) : undefined;
  }

  /** `value` with every character of every occurrence of a form (overlapping too) masked. */
  text(value: string): string {
    if (!this.pattern?.test(value)) return value;
    const hidden = new Uint8Array(value.length);
    for (const form of this.forms) {
      for (let at = value.indexOf(form); at !== -1; at = value.indexOf(form, at + 1)) {
        hidden.fill(1, at, at + form.length);
      }
    }
    const parts: string[] = [];
    for (let start = 0, end = 0; start < value.length; start = end) {
      while (end < value.length && hidden[end] === hidden[start]) end++;
      parts.push(hidden[start] ? MASK : value.slice(start, end));
    }
    return parts.join("");
  }

  apply(value: unknown): unknown {
    if (!this.pattern) return value;
    if (typeof value === "string") return this.text(value);
    if (typeof value === "number" || typeof value === "bigint") {
      const masked = this.text(String(value));
      return masked === String(value) ? value : masked;
    }
    if (Array.isArray(value)) return value.map((item) => this.apply(item));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [this.text(key), this.apply(item)]),
      );
    }
    return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
