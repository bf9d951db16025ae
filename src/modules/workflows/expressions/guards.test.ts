import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { type ExpressionData, type ExpressionLimits, evaluateParameters } from "../expressions.ts";

/**
 * Each of these built-ins could build a huge string or array in one native call, which the time
 * limit cannot interrupt: the size is now worked out and refused before anything is allocated.
 */
const trigger = {
  width: 120_000_000,
  big: "x".repeat(300_000),
  words: Array.from({ length: 5_000 }, () => "ab"),
  sep: "-".repeat(2_000),
};
// 800 lists of 100 digits, each 60 arrays deep: 0.26 MB as compact JSON, 16 MB indented
const nested = Array.from({ length: 800 }, () => {
  let value: unknown = Array.from({ length: 100 }, (_, i) => i % 10);
  for (let i = 0; i < 60; i++) value = [value];
  return value;
});

async function failure(
  expression: string,
  data: ExpressionData = { trigger, nodes: {} },
  limits?: Partial<ExpressionLimits>,
) {
  try {
    const value = await evaluateParameters({ v: `{{ ${expression} }}` }, data, limits);
    throw new Error(`expected a failure, got ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.code).toBe("BAD_REQUEST");
    return error.message;
  }
}

const value = async (
  expression: string,
  data: ExpressionData = { trigger, nodes: {} },
  limits?: Partial<ExpressionLimits>,
) => ((await evaluateParameters({ v: `{{ ${expression} }}` }, data, limits)) as { v: unknown }).v;

describe("built-ins are sized before they allocate", () => {
  it("$pad refuses a width past the size limit, from the data too", async () => {
    expect(await failure('$pad("", 120000000, "ab")')).toContain(
      "$pad would build a string larger than 8 MB",
    );
    expect(await failure('$pad("x", trigger.width)')).toContain("$pad would build a string");
    expect(await failure('$pad("x", -trigger.width, "😀")')).toContain("$pad would build");
  });

  it("$join counts the separators too", async () => {
    expect(await failure("$join(trigger.words, trigger.sep)")).toContain(
      "$join would build a string larger than 8 MB",
    );
  });

  it("$string counts escapes and indentation", async () => {
    const data = { trigger: nested, nodes: {} };
    // Walking this document takes 50–120 ms of CPU: a roomier time limit keeps this test about
    // sizes, on any machine.
    const roomy = { timeoutMs: 2_000 };
    expect(await failure("$string(trigger, true)", data, roomy)).toContain(
      "$string would build a string larger than 8 MB",
    );
    const compact = JSON.stringify(nested).length;
    expect(await value("$length($string(trigger))", data, roomy)).toBe(compact);
  });

  it("$replace works out the result's length first", async () => {
    expect(await failure(`$replace(trigger.big, "x", trigger.sep)`)).toContain(
      "$replace would build a string larger than 8 MB",
    );
  });

  it("$split counts the parts first", async () => {
    expect(await failure('$split(trigger.big, "")')).toContain(
      "$split would produce more than 100000 items",
    );
    expect(await value('$split(trigger.big, "", 3)')).toEqual(["x", "x", "x"]);
  });

  it("picture strings are bounded", async () => {
    for (const call of [
      "$formatNumber(1, $p)",
      "$formatInteger(1, $p)",
      "$parseInteger('1', $p)",
      "$fromMillis(0, $p)",
      "$toMillis('2020', $p)",
    ]) {
      const message = await failure(`($p := $pad("", 5000, "#"); ${call})`);
      expect(message).toContain("picture string of at most 1000 characters");
    }
  });

  it("the guarded built-ins give JSONata's results", async () => {
    expect(await value('$pad("a😀", 5, "xy")')).toBe("a😀xyx");
    expect(await value('$pad("a", -4, "😀b")')).toBe("😀b😀a");
    expect(await value('$substring("a😀bc", 1, 2)')).toBe("😀b");
    expect(await value('$substring("a😀bc", -2)')).toBe("bc");
    expect(await value('$length("a😀b")')).toBe(3);
    expect(await value('$replace("a$b$c", "$", "$0", 1)')).toBe("a$0b$c");
    expect(await value('$join(["a", "b"], "$&")')).toBe("a$&b");
    expect(await value('$string({"a": [1.5, "é\\n"]}, true)')).toBe(
      '{\n  "a": [\n    1.5,\n    "é\\n"\n  ]\n}',
    );
    expect(await value('$formatNumber(1234.5, "#,##0.00")')).toBe("1,234.50");
  });
});
