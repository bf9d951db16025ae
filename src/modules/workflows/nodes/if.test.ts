import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { ifNode } from "./if.ts";
import { failure, runNode } from "./testing.ts";

describe("if node", () => {
  it("has the ports true and false", () => {
    expect(ifNode.ports).toEqual(["true", "false"]);
  });

  it("follows the port named by a boolean condition", async () => {
    expect(await runNode(ifNode, { condition: true })).toEqual({
      output: { condition: true },
      port: "true",
    });
    expect(await runNode(ifNode, { condition: false })).toEqual({
      output: { condition: false },
      port: "false",
    });
  });

  it.each([
    ["false", "a string"],
    ["true", "a string"],
    [1, "a number"],
    [0, "a number"],
    [null, "null"],
    [[], "an array"],
    [{}, "an object"],
  ])("refuses the non-boolean %j, naming the parameter", async (condition, kind) => {
    const error = await failure(runNode(ifNode, { condition }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", details: { field: "condition" } });
    expect(error.message).toContain(
      `Parameter "condition" must be true or false, but it is ${kind}`,
    );
  });

  it("requires a condition", () => {
    const result = ifNode.parameters.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["condition"]);
  });
});
