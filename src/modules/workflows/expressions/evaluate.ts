import { AppError } from "../../../lib/errors.ts";
import { toPlainOutput, toSafeInput } from "./data.ts";
import { type ExpressionLimits, formatBytes, SandboxError } from "./limits.ts";
import { type ExpressionProblem, evaluateExpression } from "./sandbox.ts";
import {
  containsTemplate,
  formatPath,
  isRecord,
  type PathPart,
  parseTemplate,
  type Segment,
  soleExpression,
} from "./template.ts";

/** What an expression reads: `trigger.body.amount`, `nodes.fetch.status`. */
export interface ExpressionData {
  trigger: unknown;
  nodes: Record<string, unknown>;
}

/** The expression about to run: its parameter path and how errors about it begin. */
export interface SegmentStart {
  field: string;
  label: string;
}

/** Expression data as JSON-only values; throws AppError when it is too deep or unreadable. */
export function safeExpressionData(data: ExpressionData, limits: ExpressionLimits): unknown {
  try {
    return toSafeInput({ trigger: data.trigger, nodes: data.nodes }, limits.maxDataDepth);
  } catch (error) {
    const message = error instanceof SandboxError ? error.message : "cannot be read";
    throw new AppError("BAD_REQUEST", `Expression data ${message}`);
  }
}

/**
 * Evaluates every `{{ … }}` of a parameter tree in this thread (see evaluateParameters, which
 * runs this in an expression worker). `onSegment` hears of each expression before it runs.
 */
export async function evaluateInThread(
  params: unknown,
  data: ExpressionData,
  limits: ExpressionLimits,
  onSegment: (start: SegmentStart) => void = () => {},
): Promise<unknown> {
  const run: Run = {
    limits,
    input: safeExpressionData(data, limits),
    remaining: limits.maxTotalBytes,
    onSegment,
  };
  return evaluateValue(params, [], run);
}

interface Run {
  limits: ExpressionLimits;
  input: unknown;
  /** Bytes left for the whole call. */
  remaining: number;
  onSegment: (start: SegmentStart) => void;
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
  const field = formatPath(path);
  const label = `Parameter "${field}": expression {{ ${shown(segment)} }}`;
  run.onSegment({ field, label });
  const result = await evaluateExpression(segment.source, run.input, limits);
  const fail = (problem: ExpressionProblem): never => {
    throw new AppError("BAD_REQUEST", `${label}: ${describeProblem(problem)}`, {
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

/** The expression as shown in messages: trimmed, and cut after 60 characters. */
export function shown(segment: Extract<Segment, { kind: "expr" }>): string {
  const source = segment.source.trim();
  return source.length > 60 ? `${source.slice(0, 60)}…` : source;
}

export function describeProblem(problem: ExpressionProblem): string {
  const at = problem.position === undefined ? "" : ` (at character ${problem.position})`;
  return `${problem.message}${at}`;
}
