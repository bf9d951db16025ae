import jsonata from "jsonata";
import { isJsonataFunction } from "./data.ts";
import { type ExpressionLimits, formatBytes, SandboxError } from "./limits.ts";

/**
 * Size checks in front of the JSONata built-ins that can build a large string or array in one
 * native call, which JSONata's time limit cannot interrupt and the value meter only sees once
 * the memory is spent. Each guard works out the size of the result first and refuses it before
 * any allocation; the work itself is then done by JSONata's own implementation or an equivalent
 * that needs no intermediate copies.
 */

type Implementation = (this: jsonata.Focus, ...args: unknown[]) => unknown;

interface Builtin {
  implementation: Implementation;
  signature: string;
}

/** The built-ins a guard delegates to, with the signatures JSONata registers them under. */
const GUARDED = {
  pad: "<s-ns?:s>",
  join: "<a<s>s?:s>",
  string: "<x-b?:s>",
  replace: "<s-(sf)(sf)n?:s>",
  split: "<s-(sf)n?:a<s>>",
  length: "<s-:n>",
  substring: "<s-nn?:s>",
  formatNumber: "<n-so?:s>",
  formatInteger: "<n-s:s>",
  parseInteger: "<s-s:n>",
  fromMillis: "<n-s?s?:s>",
  toMillis: "<s-s?:n>",
} as const;

type Name = keyof typeof GUARDED;

let originals: Promise<Record<Name, Implementation>> | undefined;

/** JSONata's own implementations, read once from a plain expression. */
function loadOriginals(): Promise<Record<Name, Implementation>> {
  originals ??= (async () => {
    const out = {} as Record<Name, Implementation>;
    for (const name of Object.keys(GUARDED) as Name[]) {
      const builtin = (await jsonata(`$${name}`).evaluate(null)) as Builtin;
      out[name] = builtin.implementation;
    }
    return out;
  })();
  return originals;
}

/** Registers the guarded built-ins on one expression. */
export async function installGuards(
  expression: jsonata.Expression,
  limits: ExpressionLimits,
): Promise<void> {
  const original = await loadOriginals();
  const maxChars = limits.maxValueBytes;
  const tooLarge = (name: Name, chars: number) => {
    if (chars + 2 > maxChars) {
      throw new SandboxError(`$${name} would build a string larger than ${formatBytes(maxChars)}`);
    }
  };
  const picture = (name: Name, text: unknown) => {
    if (typeof text === "string" && text.length > limits.maxPictureLength) {
      throw new SandboxError(
        `$${name} takes a picture string of at most ${limits.maxPictureLength} characters`,
      );
    }
  };
  const register = (name: Name, implementation: Implementation) =>
    expression.registerFunction(name, implementation, GUARDED[name]);

  register("pad", (str, width, char) => pad(str, width, char, (n) => tooLarge("pad", n)));
  register("join", function (strs, separator) {
    if (Array.isArray(strs)) {
      let chars = typeof separator === "string" ? separator.length * (strs.length - 1) : 0;
      for (const item of strs) chars += typeof item === "string" ? item.length : 0;
      tooLarge("join", chars);
    }
    return original.join.call(this, strs, separator);
  });
  register("string", function (value, prettify) {
    tooLarge("string", jsonLength(value, prettify === true, maxChars));
    return original.string.call(this, value, prettify);
  });
  register("replace", function (str, pattern, replacement, limit) {
    if (
      typeof str === "string" &&
      typeof pattern === "string" &&
      pattern !== "" &&
      typeof replacement === "string" &&
      (limit === undefined || (typeof limit === "number" && limit >= 0))
    ) {
      return replaceText(str, pattern, replacement, limit, (n) => tooLarge("replace", n));
    }
    return original.replace.call(this, str, pattern, replacement, limit);
  });
  register("split", function (str, separator, limit) {
    if (typeof str === "string" && typeof separator === "string") {
      const max = Math.min(typeof limit === "number" ? limit : Infinity, limits.maxItems + 1);
      if (countParts(str, separator, max) > limits.maxItems) {
        throw new SandboxError(`$split would produce more than ${limits.maxItems} items`);
      }
    }
    return original.split.call(this, str, separator, limit);
  });
  // JSONata counts characters by copying the string into an array of code points.
  register("length", (str) => (typeof str === "string" ? codePoints(str) : undefined));
  register("substring", function (str, start, length) {
    if (typeof str !== "string" || typeof start !== "number") {
      return original.substring.call(this, str, start, length);
    }
    return substring(str, start, typeof length === "number" ? length : undefined);
  });
  for (const name of ["formatNumber", "formatInteger", "fromMillis"] as const) {
    register(name, function (value, text, ...rest) {
      picture(name, text);
      return original[name].call(this, value, text, ...rest);
    });
  }
  for (const name of ["parseInteger", "toMillis"] as const) {
    register(name, function (value, text) {
      picture(name, text);
      return original[name].call(this, value, text);
    });
  }
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** JSONata's $substring (code point positions, Array.prototype.slice rules) without the copy. */
function substring(str: string, start: number, length: number | undefined): string {
  const total = codePoints(str);
  const from = total + start < 0 ? 0 : start;
  if (length !== undefined && length <= 0) return "";
  const to = length === undefined ? total : from >= 0 ? from + length : total + from + length;
  const position = (index: number) => {
    const i = Math.trunc(index) || 0;
    return i < 0 ? Math.max(total + i, 0) : Math.min(i, total);
  };
  const begin = position(from);
  const end = position(to);
  if (end <= begin) return "";
  const units = unitOffsets(str, begin, end);
  return str.slice(units[0], units[1]);
}

/** UTF-16 offsets of two code point positions (first ≤ second). */
function unitOffsets(text: string, first: number, second: number): [number, number] {
  if (codePoints(text) === text.length) return [first, second];
  let point = 0;
  let begin = text.length;
  for (let i = 0; i <= text.length; i++) {
    if (point === first) begin = i;
    if (point === second) return [begin, i];
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    point++;
  }
  return [begin, text.length];
}

/** JSONata's $pad (width in code points; the pad text repeats and is cut to fit), sized first. */
function pad(str: unknown, width: unknown, char: unknown, check: (chars: number) => void) {
  if (typeof str !== "string" || typeof width !== "number") return undefined;
  const fill = typeof char === "string" && char.length > 0 ? char : " ";
  const padLength = Math.abs(Math.trunc(width)) - codePoints(str);
  if (!(padLength > 0)) return str;
  const fillPoints = codePoints(fill);
  const repeats = Math.floor(padLength / fillPoints);
  const rest = padLength - repeats * fillPoints;
  // A code point takes at most two UTF-16 units.
  check(str.length + repeats * fill.length + rest * 2);
  const padding = fill.repeat(repeats) + Array.from(fill).slice(0, rest).join("");
  return width > 0 ? str + padding : padding + str;
}

/** $replace with a plain-text pattern and replacement: size counted, then one native pass. */
function replaceText(
  str: string,
  pattern: string,
  replacement: string,
  limit: number | undefined,
  check: (chars: number) => void,
): string {
  const max = limit ?? Infinity;
  let count = 0;
  let end = 0;
  for (let at = str.indexOf(pattern); at !== -1 && count < max; at = str.indexOf(pattern, end)) {
    count++;
    end = at + pattern.length;
  }
  check(str.length + count * (replacement.length - pattern.length));
  // `$` has a meaning in String.prototype.replaceAll's replacement; JSONata's text has none.
  const literal = replacement.replaceAll("$", "$$$$");
  return str.slice(0, end).replaceAll(pattern, literal) + str.slice(end);
}

/** How many strings `str.split(separator)` returns, counting no further than `max`. */
function countParts(str: string, separator: string, max: number): number {
  if (separator === "") return Math.min(str.length, max);
  let parts = 1;
  for (let at = str.indexOf(separator); at !== -1 && parts < max; ) {
    parts++;
    at = str.indexOf(separator, at + separator.length);
  }
  return Math.min(parts, max);
}

/**
 * An upper bound of the length of `$string(value, prettify)`, counting no further than `max`:
 * escapes as six characters where a string could need them, numbers as 24, and with
 * `prettify` the newline and indentation before every item.
 */
export function jsonLength(value: unknown, prettify: boolean, max: number): number {
  let total = 0;
  const add = (n: number) => {
    total += n;
    if (total > max) throw new StopCounting();
  };
  const walk = (item: unknown, depth: number) => {
    if (typeof item === "string") add(stringLength(item, max - total));
    else if (item === null || typeof item !== "object" || isJsonataFunction(item)) add(24);
    else {
      const entries = Array.isArray(item)
        ? item.map((v) => ["", v] as const)
        : Object.entries(item);
      add(2 + (prettify ? 1 + 2 * depth : 0));
      for (const [key, child] of entries) {
        add(
          (key ? stringLength(key, max - total) + 2 : 0) + 1 + (prettify ? 2 * (depth + 1) + 1 : 0),
        );
        walk(child, depth + 1);
      }
    }
  };
  try {
    walk(value, 0);
    return total;
  } catch (error) {
    if (error instanceof StopCounting) return max + 1;
    throw error;
  }
}

class StopCounting extends Error {}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/g;

function stringLength(text: string, room: number): number {
  const worst = text.length * 6 + 2;
  if (worst <= room) return worst;
  const escapes = text.length - text.replace(NEEDS_ESCAPE, "").length;
  return text.length + escapes * 5 + 2;
}
