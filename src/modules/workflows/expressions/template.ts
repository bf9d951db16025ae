/**
 * Splits parameter strings into literal text and `{{ … }}` expressions. The scanner skips
 * JSONata string literals, quoted names and comments, and counts braces, so object
 * constructors such as `{{ {"a": {"b": 1}} }}` keep their inner `}}`.
 */
export type Segment =
  | { kind: "text"; text: string }
  | { kind: "expr"; source: string; offset: number };

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const OPEN = "{{";

export const containsTemplate = (text: string) => text.includes(OPEN);

/** Index of the `}}` closing the expression that starts at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === "`") {
      i = skipQuoted(text, i, ch);
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") {
      if (depth === 0 && text[i + 1] === "}") return i;
      if (depth > 0) depth--;
    }
    i++;
  }
  return -1;
}

function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === "\\" && quote !== "`" ? 2 : 1;
  return i + 1;
}

/** Throws TemplateSyntaxError for an unterminated or empty `{{ }}`. */
export function parseTemplate(text: string): Segment[] {
  const segments: Segment[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) break;
    if (open > pos) segments.push({ kind: "text", text: text.slice(pos, open) });
    const close = findClose(text, open + OPEN.length);
    if (close < 0) {
      throw new TemplateSyntaxError(
        `"{{" at character ${open + 1} has no matching "}}" (write {{ "{{" }} for literal braces)`,
        open,
      );
    }
    const source = text.slice(open + OPEN.length, close);
    if (source.trim() === "") {
      throw new TemplateSyntaxError(`empty expression "{{ }}" at character ${open + 1}`, open);
    }
    segments.push({ kind: "expr", source, offset: open });
    pos = close + 2;
  }
  if (pos < text.length) segments.push({ kind: "text", text: text.slice(pos) });
  return segments;
}

/** The single expression of a value such as `"  {{ x }} "`, which keeps its raw JSON type. */
export function soleExpression(segments: Segment[]): Extract<Segment, { kind: "expr" }> | null {
  const exprs = segments.filter((s) => s.kind === "expr");
  const onlyBlankText = segments.every((s) => s.kind === "expr" || s.text.trim() === "");
  return exprs.length === 1 && onlyBlankText ? (exprs[0] ?? null) : null;
}

export type PathPart = string | number;

/** Keys shown with a dot; others (spaces, dots, brackets, quotes, digits only) as ["…"]. */
const SIMPLE_KEY = /^(?!\d+$)[^\s.[\]"'\\]+$/;

/** `headers.Content-Type`, `items[2].name`, `body["odd key"]`. */
export function formatPath(parts: readonly PathPart[]): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else if (SIMPLE_KEY.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(value)";
}

/** Visits every string in a parameter tree with its path; keys are never visited. */
export function* walkStrings(
  value: unknown,
  path: PathPart[] = [],
): Generator<{ path: PathPart[]; text: string }> {
  if (typeof value === "string") yield { path, text: value };
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walkStrings(value[i], [...path, i]);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) yield* walkStrings(value[key], [...path, key]);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
