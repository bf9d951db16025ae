import { AppError } from "../../lib/errors.ts";
import { toPlainOutput, toSafeInput } from "./expressions/data.ts";
import {
  type ExpressionLimits,
  formatBytes,
  resolveLimits,
  SandboxError,
} from "./expressions/limits.ts";
import { checkSyntax, type ExpressionProblem, evaluateExpression } from "./expressions/sandbox.ts";
import {
  containsTemplate,
  formatPath,
  isRecord,
  type PathPart,
  parseTemplate,
  type Segment,
  soleExpression,
  TemplateSyntaxError,
  walkStrings,
} from "./expressions/template.ts";

/**
 * Workflow parameter expressions: `{{ … }}` inside parameter strings, written in JSONata and
 * evaluated in a sandbox (no JavaScript eval/Function/vm; time, depth, item and size limits;
 * no JavaScript function can be reached or returned; see expressions/ for each defence).
 *
 * SECURITY: an expression sees only the `data` passed to evaluateParameters. Callers must never
 * put secrets there (credentials, tokens, vault material) — node outputs and trigger payloads
 * only; credentials reach nodes through `useCredential`, never through expressions.
 */
export { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from "./expressions/limits.ts";

/** What an expression reads: `trigger.body.amount`, `nodes.fetch.status`. */
export interface ExpressionData {
  trigger: unknown;
  nodes: Record<string, unknown>;
}

export interface FoundExpression {
  /** Parameter path, e.g. `headers.Authorization` or `items[0].name`. */
  path: string;
  /** The expression between the braces, as written. */
  expression: string;
}

export interface SyntaxProblem {
  path: string;
  message: string;
}

/** True when any string in the value contains `{{` (even an unterminated one). */
export function hasExpression(value: unknown): boolean {
  for (const { text } of walkStrings(value)) if (containsTemplate(text)) return true;
  return false;
}

/** Every well-delimited expression in a parameter tree; see checkExpressionSyntax for errors. */
export function findExpressions(value: unknown): FoundExpression[] {
  const found: FoundExpression[] = [];
  for (const { path, text } of walkStrings(value)) {
    if (!containsTemplate(text)) continue;
    let segments: Segment[];
    try {
      segments = parseTemplate(text);
    } catch {
      continue;
    }
    for (const segment of segments) {
      if (segment.kind === "expr")
        found.push({ path: formatPath(path), expression: segment.source });
    }
  }
  return found;
}

/** Save-time check: delimiters, JSONata syntax and regex literals; evaluates nothing. */
export function checkExpressionSyntax(
  value: unknown,
  limits?: Partial<ExpressionLimits>,
): SyntaxProblem[] {
  const resolved = resolveLimits(limits);
  const problems: SyntaxProblem[] = [];
  for (const { path, text } of walkStrings(value)) {
    if (!containsTemplate(text)) continue;
    try {
      for (const segment of parseTemplate(text)) {
        if (segment.kind !== "expr") continue;
        const problem = checkSyntax(segment.source, resolved);
        if (problem) problems.push({ path: formatPath(path), message: explain(segment, problem) });
      }
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      problems.push({ path: formatPath(path), message: error.message });
    }
  }
  return problems;
}

/**
 * Evaluates every `{{ … }}` in a parameter tree. A string that is one expression yields its raw
 * JSON value (undefined results drop the key, or become null in arrays); text with expressions
 * yields a string. Keys are never evaluated; non-string values pass through.
 * Throws AppError("BAD_REQUEST") naming the parameter path.
 */
export async function evaluateParameters(
  params: unknown,
  data: ExpressionData,
  limits?: Partial<ExpressionLimits>,
): Promise<unknown> {
  const resolved = resolveLimits(limits);
  const run: Run = { limits: resolved, input: undefined, remaining: resolved.maxTotalBytes };
  if (!hasExpression(params)) return params;
  try {
    run.input = toSafeInput({ trigger: data.trigger, nodes: data.nodes }, resolved.maxDataDepth);
  } catch (error) {
    const message = error instanceof SandboxError ? error.message : "cannot be read";
    throw new AppError("BAD_REQUEST", `Expression data ${message}`);
  }
  return evaluateValue(params, [], run);
}

interface Run {
  limits: ExpressionLimits;
  input: unknown;
  /** Bytes left for the whole call. */
  remaining: number;
}

async function evaluateValue(value: unknown, path: PathPart[], run: Run): Promise<unknown> {
  if (typeof value === "string") return evaluateString(value, path, run);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      out.push((await evaluateValue(value[i], [...path, i], run)) ?? null);
    }
    return out;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = await evaluateValue(value[key], [...path, key], run);
      if (item !== undefined) {
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return out;
  }
  return value;
}

async function evaluateString(text: string, path: PathPart[], run: Run): Promise<unknown> {
  if (!containsTemplate(text)) return text;
  let segments: Segment[];
  try {
    segments = parseTemplate(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : "invalid expression";
    throw new AppError("BAD_REQUEST", `Parameter "${formatPath(path)}": ${message}`, {
      field: formatPath(path),
    });
  }
  const sole = soleExpression(segments);
  if (sole) return evaluateSegment(sole, path, run);
  let out = "";
  for (const segment of segments) {
    if (segment.kind === "text") out += segment.text;
    else out += interpolate(await evaluateSegment(segment, path, run));
  }
  return out;
}

const interpolate = (value: unknown) =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

async function evaluateSegment(
  segment: Extract<Segment, { kind: "expr" }>,
  path: PathPart[],
  run: Run,
): Promise<unknown> {
  const { limits } = run;
  const result = await evaluateExpression(segment.source, run.input, limits);
  const fail = (problem: ExpressionProblem): never => {
    const field = formatPath(path);
    throw new AppError("BAD_REQUEST", `Parameter "${field}": ${explain(segment, problem)}`, {
      field,
      ...(problem.position === undefined ? {} : { position: problem.position }),
    });
  };
  if ("problem" in result) return fail(result.problem);
  const perResult = limits.maxResultBytes <= run.remaining;
  const budget = {
    remaining: Math.min(limits.maxResultBytes, run.remaining),
    tooLarge: perResult
      ? `returns more than ${formatBytes(limits.maxResultBytes)}`
      : `makes the parameters' expression results exceed ${formatBytes(limits.maxTotalBytes)} in total`,
  };
  try {
    const plain = toPlainOutput(result.value, budget, limits);
    run.remaining -= Math.min(limits.maxResultBytes, run.remaining) - budget.remaining;
    return plain;
  } catch (error) {
    if (error instanceof SandboxError) return fail({ message: error.message });
    if (error instanceof RangeError) return fail({ message: "returns a value nested too deeply" });
    throw error;
  }
}

function explain(segment: Extract<Segment, { kind: "expr" }>, problem: ExpressionProblem) {
  const source = segment.source.trim();
  const shown = source.length > 60 ? `${source.slice(0, 60)}…` : source;
  const at = problem.position === undefined ? "" : ` (at character ${problem.position})`;
  return `expression {{ ${shown} }}: ${problem.message}${at}`;
}
