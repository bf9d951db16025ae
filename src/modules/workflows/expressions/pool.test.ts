import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { evaluateParameters } from "../expressions.ts";

/**
 * What no size check can catch is stopped by isolation: with limits raised far past the
 * defaults, these expressions make a single native call run for seconds or allocate
 * gigabytes. Their worker is killed, the caller gets an error naming the limit, this process
 * carries on, and the next evaluation gets a fresh worker.
 */
async function failure(expression: string, limits: object): Promise<string> {
  try {
    await evaluateParameters({ field: `{{ ${expression} }}` }, { trigger: {}, nodes: {} }, limits);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.details?.field).toBe("field");
    return error.message;
  }
  throw new Error("expected a failure");
}

const normal = () => evaluateParameters({ v: "{{ 1 + 1 }}" }, { trigger: {}, nodes: {} });

describe("expression workers", () => {
  it("a native call past the time limit is stopped", async () => {
    const message = await failure('$contains($pad("", 100000000, "a") & "!", /(a|aa)+$/)', {
      maxValueBytes: 2 ** 30,
      maxRegexInput: 2 ** 30,
    });
    expect(message).toMatch(
      /^Parameter "field": expression \{\{ .* \}\}: took longer than 100 ms and was stopped$/,
    );
    expect(await normal()).toEqual({ v: 2 });
  });

  it("an expression that runs out of memory kills only its worker", async () => {
    const pads = ["ab", "cd", "ef"].map((fill) => `$pad("", 200000000, "${fill}")`).join(", ");
    const message = await failure(`[${pads}].$substring($, 5, 1)`, {
      maxValueBytes: 2 ** 31,
      timeoutMs: 20_000,
    });
    expect(message).toContain("needed more than 256 MB of memory and was stopped");
    expect(await normal()).toEqual({ v: 2 });
  });

  it("evaluations run side by side and each gets its own result", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        evaluateParameters({ v: "{{ trigger.n * 2 }}" }, { trigger: { n: i }, nodes: {} }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => ({ v: i * 2 })));
  });
});
