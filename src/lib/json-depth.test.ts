import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./json-depth.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const nested = (levels: number) => `${'{"a":['.repeat(levels)}1${"]}".repeat(levels)}`;

describe("nestsDeeperThan", () => {
  it("counts objects and arrays alike, up to and past the limit", () => {
    expect(nestsDeeperThan(bytes(nested(5)), 10)).toBe(false);
    expect(nestsDeeperThan(bytes(nested(6)), 10)).toBe(true);
    expect(nestsDeeperThan(bytes("[[[]]]"), 3)).toBe(false);
    expect(nestsDeeperThan(bytes("[[[[]]]]"), 3)).toBe(true);
  });

  it("counts depth, not the number of brackets: siblings do not add up", () => {
    expect(nestsDeeperThan(bytes(JSON.stringify(Array(1000).fill([[1]]))), 3)).toBe(false);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ a: "[[[[{{{{", b: 'say \\"[[[[[" \\\\', c: "ü[[[[[[" });
    expect(nestsDeeperThan(bytes(text), 1)).toBe(false);
  });
});
