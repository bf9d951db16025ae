import type jsonata from "jsonata";
import { isJsonataFunction } from "./data.ts";
import { SandboxError } from "./limits.ts";

/**
 * Overrides of JSONata built-ins. Nothing in JSONata's library reaches the process, environment,
 * files, timers or network; what is changed here is what turns data into code or lets a single
 * uninterruptible call run for seconds.
 */
export function installBuiltins(expression: jsonata.Expression): void {
  // $eval parses a string as a new expression at run time: a webhook sender could then inject
  // expressions through the payload, and save-time checks could not see them. Removed.
  expression.registerFunction("eval", () => {
    throw new SandboxError("$eval is not available in Fluxo expressions");
  });
  // JSONata's $distinct compares every pair of items (quadratic, within one native call).
  expression.registerFunction("distinct", distinct, "<x:x>");
}

type SequenceFocus = { createSequence?: () => unknown[] };

/** Same result as JSONata's $distinct (deep equality, first occurrence wins) in linear time. */
function distinct(this: jsonata.Focus, items: unknown): unknown {
  if (!Array.isArray(items) || items.length <= 1) return items;
  const isSequence = (items as { sequence?: unknown }).sequence === true;
  const focus = this as unknown as SequenceFocus;
  const out = isSequence && focus.createSequence ? focus.createSequence() : [];
  const ids = new StructureIds();
  const seen = new Set<string>();
  for (const item of items) {
    const id = ids.of(item);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(item);
    }
  }
  return out;
}

/**
 * Gives deeply equal values the same short id (hash-consing): each object is keyed by its
 * children's ids, so shared references are looked at once and keys stay small.
 */
class StructureIds {
  private readonly byObject = new WeakMap<object, string>();
  private readonly byShape = new Map<string, string>();

  of(value: unknown): string {
    if (value === null || typeof value !== "object") return this.intern(primitiveKey(value));
    if (isJsonataFunction(value)) throw new SandboxError("$distinct cannot compare functions");
    const known = this.byObject.get(value);
    if (known) return known;
    const shape = Array.isArray(value)
      ? `[${value.map((item) => this.of(item)).join(",")}]`
      : `{${Object.keys(value)
          .sort()
          .map(
            (key) => `${JSON.stringify(key)}:${this.of((value as Record<string, unknown>)[key])}`,
          )
          .join(",")}}`;
    const id = this.intern(shape);
    this.byObject.set(value, id);
    return id;
  }

  private intern(key: string): string {
    let id = this.byShape.get(key);
    if (!id) {
      id = `#${this.byShape.size}`;
      this.byShape.set(key, id);
    }
    return id;
  }
}

function primitiveKey(value: unknown): string {
  if (typeof value === "function") throw new SandboxError("$distinct cannot compare functions");
  return value === undefined ? "u" : `${typeof value}:${JSON.stringify(value)}`;
}
