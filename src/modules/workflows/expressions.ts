import {
  describeProblem,
  type ExpressionData,
  safeExpressionData,
  shown,
} from "./expressions/evaluate.ts";
import { cpuTimeMs, type ExpressionLimits, resolveLimits } from "./expressions/limits.ts";
import { defaultPoolSize, ExpressionPool } from "./expressions/pool.ts";
import { checkSyntax, type ExpressionProblem } from "./expressions/sandbox.ts";
import {
  containsTemplate,
  formatPath,
  parseTemplate,
  type Segment,
  TemplateSyntaxError,
  walkStrings,
} from "./expressions/template.ts";

/**
 * Workflow parameter expressions: `{{ … }}` inside parameter strings, written in JSONata and
 * evaluated in a sandbox (no JavaScript eval/Function/vm; time, depth, item and size limits
 * checked before built-ins allocate; no JavaScript function can be reached or returned; worker
 * processes that are killed when they overrun; see expressions/ for each defence).
 *
 * SECURITY: an expression sees only the `data` passed to evaluateParameters. Callers must never
 * put secrets there (credentials, tokens, vault material) — node outputs and trigger payloads
 * only; credentials reach nodes through `useCredential`, never through expressions.
 */
export type { ExpressionData } from "./expressions/evaluate.ts";
export { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from "./expressions/limits.ts";

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

/**
 * Save-time check: delimiters, JSONata syntax and regex literals; evaluates nothing. Past
 * `budget` (a CPU time, see checkSyntaxOfAll) the next expression is refused unread.
 */
export function checkExpressionSyntax(
  value: unknown,
  limits?: Partial<ExpressionLimits>,
  budget?: { deadline: number; ms: number },
): SyntaxProblem[] {
  const resolved = resolveLimits(limits);
  const problems: SyntaxProblem[] = [];
  for (const { path, text } of walkStrings(value)) {
    if (!containsTemplate(text)) continue;
    try {
      for (const segment of parseTemplate(text)) {
        if (segment.kind !== "expr") continue;
        if (budget && cpuTimeMs() > budget.deadline) {
          const message = `the workflow's expressions take longer than ${budget.ms} ms to read`;
          return [...problems, { path: formatPath(path), message }];
        }
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
 * CPU time, in multiples of the time limit, that checking one workflow's expressions may take
 * in all: far more than any real workflow needs, and little enough that saving many slow ones
 * cannot keep a worker from executions for long.
 */
const CHECK_BUDGET_FACTOR = 20;

/**
 * checkExpressionSyntax of each value, in the calling thread, within one time budget (see
 * CHECK_BUDGET_FACTOR): past it, each value's next expression gets a problem instead of being
 * read. Runs in an expression worker (checkSyntaxIsolated).
 */
export function checkSyntaxOfAll(values: unknown[], limits: ExpressionLimits): SyntaxProblem[][] {
  const ms = limits.timeoutMs * CHECK_BUDGET_FACTOR;
  const budget = { deadline: cpuTimeMs() + ms, ms };
  return values.map((value) => checkExpressionSyntax(value, limits, budget));
}

/**
 * The save-time check (checkExpressionSyntax) of each value, in an expression worker: JSONata's
 * parser cannot be interrupted, and some expressions take it far longer than their length
 * suggests, so this process never reads them itself.
 */
export async function checkSyntaxIsolated(
  values: unknown[],
  limits?: Partial<ExpressionLimits>,
): Promise<SyntaxProblem[][]> {
  if (!values.some(hasExpression)) return values.map(() => []);
  pool ??= new ExpressionPool(poolSize);
  return (await pool.evaluate({
    check: values,
    limits: resolveLimits(limits),
  })) as SyntaxProblem[][];
}

/** Worker processes shared by every evaluation in this process; started on first use. */
let pool: ExpressionPool | undefined;
let poolSize = defaultPoolSize();

/** Starts the expression workers (FLUXO_EXPRESSION_WORKERS of them) ahead of the first use. */
export function startExpressionWorkers(size = poolSize): void {
  stopExpressionWorkers();
  poolSize = size;
  pool = new ExpressionPool(size);
  pool.warm();
}

/** Stops the expression workers; evaluations in progress fail. */
export function stopExpressionWorkers(): void {
  pool?.close();
  pool = undefined;
}

/**
 * Evaluates every `{{ … }}` in a parameter tree, in an expression worker process (see
 * expressions/pool.ts): however an expression misbehaves, this process keeps serving. A string
 * that is one expression yields its raw JSON value (undefined results drop the key, or become
 * null in arrays); text with expressions yields a string. Keys are never evaluated; non-string
 * values pass through. Throws AppError("BAD_REQUEST") naming the parameter path.
 */
export async function evaluateParameters(
  params: unknown,
  data: ExpressionData,
  limits?: Partial<ExpressionLimits>,
): Promise<unknown> {
  if (!hasExpression(params)) return params;
  const resolved = resolveLimits(limits);
  // JSON-only data (no functions, bounded depth) is what a worker can receive.
  const safe = safeExpressionData(data, resolved) as ExpressionData;
  pool ??= new ExpressionPool(poolSize);
  return pool.evaluate({ params, data: safe, limits: resolved });
}

function explain(segment: Extract<Segment, { kind: "expr" }>, problem: ExpressionProblem) {
  return `expression {{ ${shown(segment)} }}: ${describeProblem(problem)}`;
}
