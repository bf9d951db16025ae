import { describe, expect, it } from "vitest";
import { outputOf, runNode } from "./testing.ts";
import { transform } from "./transform.ts";

describe("transform node", () => {
  it("outputs exactly the (already evaluated) fields", async () => {
    const fields = { name: "Ann", total: 12.5, tags: ["a", "b"], nested: { ok: true }, none: null };
    const result = await runNode(transform, { fields });
    expect(outputOf(result)).toEqual(fields);
    expect(result).not.toHaveProperty("port");
  });

  it("outputs an empty object for no fields, and refuses anything but a field map", async () => {
    expect(outputOf(await runNode(transform, { fields: {} }))).toEqual({});
    expect(transform.parameters.safeParse({ fields: [1, 2] }).success).toBe(false);
    expect(transform.parameters.safeParse({ fields: {}, extra: 1 }).success).toBe(false);
    expect(transform.parameters.safeParse({}).success).toBe(false);
  });
});
