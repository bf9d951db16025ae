/**
 * The deepest nesting of objects and arrays a JSON body may have. Real payloads stay far
 * below it; recursive code that later walks a value (JSON.stringify when it is stored as
 * jsonb, validation, expressions) overflows the stack at a few thousand levels.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether JSON text (UTF-8 bytes) nests objects and arrays deeper than `max`, read in one pass
 * before anything parses it. Brackets inside strings do not count; every structural character
 * is ASCII, so multi-byte characters cannot be mistaken for one.
 */
export function nestsDeeperThan(json: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i] as number;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPENERS.has(byte)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(byte)) depth--;
  }
  return false;
}
