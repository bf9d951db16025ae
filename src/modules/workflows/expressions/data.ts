import { type ExpressionLimits, formatBytes, SandboxError } from "./limits.ts";

/** JSONata marks its lambdas and built-ins with these flags; they are code, not data. */
export const isJsonataFunction = (value: unknown): boolean =>
  value !== null &&
  typeof value === "object" &&
  ((value as { _jsonata_lambda?: unknown })._jsonata_lambda === true ||
    (value as { _jsonata_function?: unknown })._jsonata_function === true);

/** Keys JSONata reserves; input carrying them could impersonate a lambda, so they are dropped. */
const RESERVED_KEY = /^_jsonata_/;

/**
 * Copies caller data into JSON-only values: objects get a null prototype, so `constructor`,
 * `__proto__` and friends resolve to nothing; functions, symbols and undefined disappear as in
 * JSON; Dates become ISO strings. Arrays keep Array.prototype because JSONata calls its methods
 * (its lookups on arrays map over the items and never read array properties).
 */
export function toSafeInput(value: unknown, maxDepth: number, depth = 0): unknown {
  if (depth > maxDepth) {
    throw new SandboxError(`the data is nested more than ${maxDepth} levels deep`);
  }
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    return value.map((item) => toSafeInput(item, maxDepth, depth + 1) ?? null);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return toSafeInput(toJSON.call(value), maxDepth, depth + 1);
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    if (RESERVED_KEY.test(key)) continue;
    const item = toSafeInput((value as Record<string, unknown>)[key], maxDepth, depth + 1);
    if (item !== undefined) copy[key] = item;
  }
  return copy;
}

/**
 * Measures the JSON size a value would expand to, counting a shared reference every time it
 * appears. Values built from references (`[$$, $$, …]` nested ten times) are tiny in memory but
 * explode when serialized or compared; refusing them as soon as they are built keeps $string,
 * `&`, `=`, $clone and the transform operator bounded. Sizes are memoized per object, so the
 * check costs about as much as building the value did.
 */
export class ValueMeter {
  private readonly sizes = new WeakMap<object, number>();

  constructor(
    private readonly maxBytes: number,
    private readonly onFunction: (fn: unknown) => void,
  ) {}

  /** Re-measures the top container (it may have just been filled) and reuses child sizes. */
  check(value: unknown): void {
    this.measure(value, false);
  }

  private measure(value: unknown, useMemo: boolean): number {
    if (typeof value === "string") return this.limit(value.length + 2);
    if (typeof value === "function") {
      this.onFunction(value);
      return 1;
    }
    if (value === null || typeof value !== "object") return 8;
    if (isJsonataFunction(value)) return 1;
    const known = useMemo ? this.sizes.get(value) : undefined;
    if (known !== undefined) return known;
    let total = 2;
    if (Array.isArray(value)) {
      for (const item of value) total = this.limit(total + this.measure(item, true) + 1);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        total = this.limit(total + key.length + 4 + this.measure(record[key], true));
      }
    }
    this.sizes.set(value, total);
    return total;
  }

  private limit(size: number): number {
    if (size > this.maxBytes) {
      throw new SandboxError(
        `builds a value larger than ${formatBytes(this.maxBytes)} (counting repeated references)`,
      );
    }
    return size;
  }
}

export interface OutputBudget {
  /** Bytes this result may still use. */
  remaining: number;
  /** Message when the budget runs out. */
  tooLarge: string;
}

/**
 * Turns a JSONata result into plain JSON values (sequences become arrays, objects get their own
 * keys only) while counting its size, so a huge result is refused before it is fully copied.
 * Any function anywhere in the result is refused: lambdas never leave the evaluator.
 */
export function toPlainOutput(
  value: unknown,
  budget: OutputBudget,
  limits: Pick<ExpressionLimits, "maxDataDepth">,
  depth = 0,
): unknown {
  const spend = (bytes: number) => {
    budget.remaining -= bytes;
    if (budget.remaining < 0) throw new SandboxError(budget.tooLarge);
  };
  if (depth > limits.maxDataDepth) {
    throw new SandboxError(`returns a value nested more than ${limits.maxDataDepth} levels deep`);
  }
  if (value === undefined) return undefined;
  if (typeof value === "function" || isJsonataFunction(value)) {
    throw new SandboxError("returns a function; only data can leave an expression");
  }
  if (value === null || typeof value === "boolean") {
    spend(5);
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SandboxError("returns a number that is not finite");
    spend(String(value).length);
    return value;
  }
  if (typeof value === "string") {
    spend(value.length + 2);
    return value;
  }
  if (typeof value !== "object") throw new SandboxError("returns a value that is not JSON");
  spend(2);
  if (Array.isArray(value)) {
    return value.map((item) => {
      spend(1);
      return toPlainOutput(item, budget, limits, depth + 1) ?? null;
    });
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    spend(key.length + 4);
    const plain = toPlainOutput(item, budget, limits, depth + 1);
    // defineProperty: a "__proto__" key stays an ordinary key instead of replacing the prototype.
    if (plain !== undefined) {
      Object.defineProperty(out, key, {
        value: plain,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}
