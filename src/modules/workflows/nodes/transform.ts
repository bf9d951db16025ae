import { z } from "zod";
import { defineNode } from "./types.ts";

export const transformParameters = z.strictObject({
  fields: z
    .record(z.string().min(1).max(256), z.unknown())
    .describe("The output's fields, each usually an expression such as {{ trigger.body.id }}."),
});

/** Builds an object from (evaluated) expressions: the output is exactly `fields`. */
export const transform = defineNode({
  type: "transform",
  displayName: "Transform",
  kind: "action",
  group: "logic",
  pure: true,
  parameters: transformParameters,
  async run(ctx) {
    return { output: ctx.parameters.fields };
  },
});
