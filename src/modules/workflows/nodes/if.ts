import { z } from "zod";
import { badRequest } from "../../../lib/errors.ts";
import { defineNode } from "./types.ts";

// Any value passes the schema so that run() can name what was wrong with it; only a missing
// condition is refused on save.
export const ifParameters = z.strictObject({
  condition: z
    .unknown()
    .refine((v) => v !== undefined, "is required")
    .describe("true or false, usually a comparison such as {{ nodes.fetch.status = 200 }}."),
});

function describe(value: unknown): string {
  if (value === null) return "null";
  const kind = Array.isArray(value) ? "array" : typeof value;
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

/**
 * Branches on a boolean. Only `true` and `false` are accepted: truthiness differs between
 * JavaScript, JSONata and people ("false", "0", [] …), and a missing field would otherwise
 * silently take the "false" branch. A non-boolean fails the node, naming the parameter, so
 * the author writes an explicit comparison instead.
 */
export const ifNode = defineNode({
  type: "if",
  displayName: "If",
  kind: "action",
  group: "logic",
  pure: true,
  parameters: ifParameters,
  ports: ["true", "false"],
  async run(ctx) {
    const { condition } = ctx.parameters;
    if (typeof condition !== "boolean") {
      throw badRequest(
        `Parameter "condition" must be true or false, but it is ${describe(condition)}; ` +
          "compare explicitly, e.g. {{ status = 200 }}",
        "condition",
      );
    }
    return { output: { condition }, port: condition ? "true" : "false" };
  },
});
