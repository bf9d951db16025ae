import jsonata from "jsonata";
import { installBuiltins } from "./builtins.ts";
import { ValueMeter } from "./data.ts";
import { installGuards } from "./guards.ts";
import { cpuTimeMs, type ExpressionLimits, SandboxError } from "./limits.ts";
import { compileLinear, linearRegexEngine } from "./regex.ts";

/** A problem with one expression: a message for people, and where JSONata saw it. */
export interface ExpressionProblem {
  message: string;
  /** 1-based character within the expression, when known. */
  position?: number;
}

const EXIT_HOOK = Symbol.for("jsonata.__evaluate_exit");

/**
 * Parses an expression and checks its regex literals; never evaluates anything. Reading counts
 * against the time limit when the expression runs, so one that takes longer to read can never
 * run: it is refused here (JSONata reads some long paths in quadratic time).
 */
export function checkSyntax(source: string, limits: ExpressionLimits): ExpressionProblem | null {
  const started = cpuTimeMs();
  let problem: ExpressionProblem | null = null;
  try {
    parse(source, limits);
  } catch (error) {
    problem = describe(error, limits);
  }
  if (cpuTimeMs() - started > limits.timeoutMs) {
    return { message: `takes longer than ${limits.timeoutMs} ms to read` };
  }
  return problem;
}

function parse(source: string, limits: ExpressionLimits, options?: jsonata.JsonataOptions) {
  if (source.length > limits.maxExpressionLength) {
    throw new SandboxError(`is longer than ${limits.maxExpressionLength} characters`);
  }
  const expression = jsonata(source, options);
  forEachRegex(expression.ast(), (regex) => compileLinear(regex, limits.maxRegexLength));
  return expression;
}

/** Regex literals sit anywhere in the AST; walk every property rather than per node type. */
function forEachRegex(node: unknown, visit: (regex: RegExp) => void, depth = 0): void {
  if (node instanceof RegExp) visit(node);
  else if (node !== null && typeof node === "object" && depth < 1000) {
    for (const child of Object.values(node)) forEachRegex(child, visit, depth + 1);
  }
}

/**
 * Evaluates one expression against data that is already safe (see toSafeInput). Returns the raw
 * JSONata result; the caller converts it with toPlainOutput, which refuses functions.
 */
export async function evaluateExpression(
  source: string,
  input: unknown,
  limits: ExpressionLimits,
): Promise<{ value: unknown } | { problem: ExpressionProblem }> {
  try {
    // JSONata's own `timeout` counts wall-clock time; the exit hook counts CPU time instead.
    const deadline = cpuTimeMs() + limits.timeoutMs;
    const expression = parse(source, limits, {
      stack: limits.maxDepth,
      sequence: limits.maxItems,
      RegexEngine: linearRegexEngine(limits, deadline),
    });
    installBuiltins(expression);
    await installGuards(expression, limits);
    expression.assign(EXIT_HOOK as unknown as string, exitHook(limits, deadline));
    return { value: await expression.evaluate(input) };
  } catch (error) {
    return { problem: describe(error, limits) };
  }
}

/**
 * Runs after every evaluation step. JavaScript functions may never become values — only the
 * matcher a regex literal evaluates to, which JSONata needs — and every value built is
 * measured (see ValueMeter) and its item count bounded.
 */
function exitHook(limits: ExpressionLimits, deadline: number) {
  const regexMatchers = new WeakSet<object>();
  const refuseFunction = (fn: unknown) => {
    if (!regexMatchers.has(fn as object)) {
      throw new SandboxError("reaches a JavaScript function, which expressions may not use");
    }
  };
  const meter = new ValueMeter(limits.maxValueBytes, refuseFunction);
  return (node: { type?: string }, _input: unknown, _env: unknown, result: unknown) => {
    if (cpuTimeMs() > deadline) throw new SandboxError(`took longer than ${limits.timeoutMs} ms`);
    if (typeof result === "function" && node.type === "regex") {
      regexMatchers.add(result);
      return;
    }
    if (Array.isArray(result) && result.length > limits.maxItems) {
      throw new SandboxError(`produces more than ${limits.maxItems} items`);
    }
    meter.check(result);
  };
}

interface JsonataFailure {
  code?: unknown;
  message?: unknown;
  position?: unknown;
}

/** Maps any failure to a short message: JSONata's own text, or ours for limits; no internals. */
export function describe(error: unknown, limits: ExpressionLimits): ExpressionProblem {
  if (error instanceof SandboxError) return { message: error.message };
  if (error instanceof SyntaxError) return { message: "contains an invalid regular expression" };
  if (error instanceof RangeError) {
    return { message: "is too large or too deeply nested to evaluate" };
  }
  const failure = (error ?? {}) as JsonataFailure;
  const code = typeof failure.code === "string" ? failure.code : "";
  const position =
    typeof failure.position === "number" && failure.position > 0 ? failure.position : undefined;
  const at = position === undefined ? {} : { position };
  if (code === "D1011") {
    return { message: `recurses more than ${limits.maxDepth} steps deep`, ...at };
  }
  if (code === "D1012") return { message: `took longer than ${limits.timeoutMs} ms`, ...at };
  if (code === "D2014" || code === "D2015") {
    return { message: `produces more than ${limits.maxItems} items`, ...at };
  }
  if (/^[STDU]\d{4}$/.test(code) && typeof failure.message === "string") {
    return { message: failure.message, ...at };
  }
  // A JavaScript error from inside the library: say so without echoing its details.
  return { message: "could not be evaluated", ...at };
}
