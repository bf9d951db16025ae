import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import {
  checkExpressionSyntax,
  evaluateParameters,
  findExpressions,
  hasExpression,
} from "./expressions.ts";

const data = {
  trigger: { body: { amount: 21, name: "Ada", tags: ["a", "b", "a"], big: "x".repeat(300_000) } },
  nodes: { fetch: { status: 200, items: [{ id: 1 }, { id: 2 }] } },
};

const evaluate = (params: unknown, limits?: Parameters<typeof evaluateParameters>[2]) =>
  evaluateParameters(params, data, limits);

/** The AppError an evaluation fails with (fails the test if it succeeds). */
async function failure(params: unknown, limits?: Parameters<typeof evaluateParameters>[2]) {
  try {
    const value = await evaluate(params, limits);
    throw new Error(`expected a failure, got ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.code).toBe("BAD_REQUEST");
    return error;
  }
}

/** Anything a JavaScript function could look like once it left the evaluator. */
function containsFunction(value: unknown): boolean {
  if (typeof value === "function") return true;
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(containsFunction);
}

describe("evaluation semantics", () => {
  it("a sole expression yields its raw JSON value", async () => {
    expect(await evaluate({ v: "{{ trigger.body.amount * 2 }}" })).toEqual({ v: 42 });
    expect(await evaluate({ v: "  {{ nodes.fetch.status }}  " })).toEqual({ v: 200 });
    expect(await evaluate({ v: "{{ nodes.fetch.items }}" })).toEqual({ v: [{ id: 1 }, { id: 2 }] });
    expect(await evaluate({ v: '{{ {"a": {"b": [1, true, null]}} }}' })).toEqual({
      v: { a: { b: [1, true, null] } },
    });
    expect(await evaluate({ v: "{{ trigger.body.amount > 20 }}" })).toEqual({ v: true });
    expect(await evaluate({ v: "{{ null }}" })).toEqual({ v: null });
    expect(await evaluate({ v: "{{ trigger.body.name }}" })).toEqual({ v: "Ada" });
  });

  it("results are plain objects and arrays, not JSONata sequences", async () => {
    const out = (await evaluate({ v: "{{ nodes.fetch.items.id }}" })) as { v: number[] };
    expect(out.v).toEqual([1, 2]);
    expect(Object.keys(out.v)).toEqual(["0", "1"]);
    const obj = (await evaluate({ v: '{{ {"k": 1} }}' })) as { v: object };
    expect(Object.getPrototypeOf(obj.v)).toBe(Object.prototype);
  });

  it("text around expressions becomes an interpolated string", async () => {
    expect(
      await evaluate({ v: "Hi {{ trigger.body.name }}, you owe {{ trigger.body.amount }}€" }),
    ).toEqual({ v: "Hi Ada, you owe 21€" });
    expect(await evaluate({ v: "items: {{ nodes.fetch.items[0] }}" })).toEqual({
      v: 'items: {"id":1}',
    });
    expect(await evaluate({ v: "[{{ trigger.missing }}]" })).toEqual({ v: "[]" });
    expect(await evaluate({ v: "{{ 1 }}{{ 2 }}" })).toEqual({ v: "12" });
    expect(await evaluate({ v: 'a {{ "}}" }} b' })).toEqual({ v: "a }} b" });
  });

  it("evaluates nested objects and arrays, never keys; other values pass through", async () => {
    const params = {
      "{{ trigger.body.name }}": "{{ trigger.body.name }}",
      list: [1, "{{ nodes.fetch.status }}", { deep: ["{{ true }}"] }],
      n: 3,
      b: false,
      z: null,
      plain: "no expression {here}",
    };
    expect(await evaluate(params)).toEqual({
      "{{ trigger.body.name }}": "Ada",
      list: [1, 200, { deep: [true] }],
      n: 3,
      b: false,
      z: null,
      plain: "no expression {here}",
    });
  });

  it("returns the same params object when nothing is an expression", async () => {
    const params = { a: 1, b: ["x"], c: { d: "text" } };
    expect(await evaluate(params)).toBe(params);
  });

  it("an undefined sole expression drops the key, or becomes null in an array", async () => {
    expect(await evaluate({ a: "{{ trigger.nothing }}", b: 1 })).toEqual({ b: 1 });
    expect(await evaluate(["{{ trigger.nothing }}"])).toEqual([null]);
  });

  it("keeps a __proto__ key as data", async () => {
    const out = (await evaluate({ v: '{{ {"__proto__": {"polluted": true}} }}' })) as {
      v: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(out.v)).toBe(Object.prototype);
    expect(Object.keys(out.v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("string functions, $distinct and regexes work", async () => {
    expect(await evaluate({ v: "{{ $uppercase(trigger.body.name) }}" })).toEqual({ v: "ADA" });
    expect(await evaluate({ v: "{{ $distinct(trigger.body.tags) }}" })).toEqual({ v: ["a", "b"] });
    expect(
      await evaluate({ v: '{{ $distinct([{"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1}]) }}' }),
    ).toEqual({ v: [{ a: 1, b: 2 }, { a: 1 }] });
    expect(await evaluate({ v: '{{ $replace("a1b22", /\\d+/, "#") }}' })).toEqual({ v: "a#b#" });
    expect(await evaluate({ v: '{{ $match("ab12", /(\\d)(\\d)/).groups }}' })).toEqual({
      v: ["1", "2"],
    });
    expect(await evaluate({ v: '{{ $contains("hello", /l+o$/) }}' })).toEqual({ v: true });
  });

  it("tail recursion within the limits works", async () => {
    const expr =
      "{{ ($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + $n) }; $f(100, 0)) }}";
    expect(await evaluate({ v: expr })).toEqual({ v: 5050 });
  });

  it("copes with input data that is not plain JSON", async () => {
    const when = new Date("2024-01-02T03:04:05.000Z");
    const out = await evaluateParameters(
      { v: "{{ trigger }}" },
      { trigger: { when, n: 10n, fn: () => 1, _jsonata_lambda: true, bad: Number.NaN }, nodes: {} },
    );
    expect(out).toEqual({ v: { when: "2024-01-02T03:04:05.000Z", n: "10", bad: null } });
  });
});

describe("errors", () => {
  it("syntax errors name the parameter path and the position", async () => {
    const error = await failure({ headers: { "X-Total": "{{ trigger.body.amount + }}" } });
    expect(error.message).toContain('Parameter "headers.X-Total"');
    expect(error.message).toContain("trigger.body.amount +");
    expect(error.message).toMatch(/at character \d+/);
    expect(error.details).toMatchObject({ field: "headers.X-Total" });
    expect(error.message).not.toMatch(/node_modules|at .*\.js:\d+/);
  });

  it("runtime errors name the path in arrays too", async () => {
    const error = await failure({ items: ["ok", '{{ $error("boom") }}'] });
    expect(error.message).toBe(
      'Parameter "items[1]": expression {{ $error("boom") }}: boom (at character 8)',
    );
  });

  it("type errors are reported with JSONata's message", async () => {
    const error = await failure({ v: '{{ "a" + 1 }}' });
    expect(error.message).toMatch(/Parameter "v".*must evaluate to a number/);
  });

  it("unterminated and empty expressions are refused", async () => {
    expect((await failure({ v: "Hello {{ name" })).message).toContain("no matching");
    expect((await failure({ v: "Hello {{   }}" })).message).toContain("empty expression");
  });
});

describe("sandbox: no way to reach JavaScript", () => {
  const attempts = [
    "constructor",
    "__proto__",
    "$.constructor",
    "$$.constructor",
    "nodes.fetch.constructor.constructor",
    "trigger.body.name.constructor",
    "$string.constructor",
    "$string.constructor.constructor",
    '$lookup($, "constructor")',
    '$lookup($, "__proto__")',
    '$lookup($string, "implementation")',
    '{"a": 1}.constructor',
    '$lookup({"a": 1}, "constructor")',
    "[1,2].constructor",
    "$string.implementation",
    "$string.signature",
    "$string.*",
    "$string.**",
    "$keys($string)",
    "$sift($, function($v, $k){ true }).constructor",
    "$each($, function($v, $k){ $k })",
    "$spread($)",
  ];

  it.each(attempts)("%s yields no function or native object", async (expr) => {
    let value: unknown;
    try {
      value = await evaluate({ v: `{{ ${expr} }}` });
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return;
    }
    expect(containsFunction(value)).toBe(false);
    expect(JSON.stringify(value)).not.toMatch(/constructor|prototype|implementation|function/i);
  });

  it("prototype lookups find nothing", async () => {
    expect(await evaluate({ v: "{{ constructor }}", w: "{{ $.__proto__ }}" })).toEqual({});
    expect(await evaluate({ v: "{{ $keys($) }}" })).toEqual({ v: ["trigger", "nodes"] });
    expect(await evaluate({ v: "{{ $keys(nodes.fetch) }}" })).toEqual({ v: ["status", "items"] });
  });

  it("a built-in's JavaScript implementation cannot be extracted or called", async () => {
    for (const expr of [
      "$spread($string)[0].implementation",
      '$spread($string)[0].implementation("x")',
      "$spread($string).*",
      '$lookup($spread($string), "implementation")',
      "$each($merge($spread($string)), function($v){ $v })",
    ]) {
      const error = await failure({ v: `{{ ${expr} }}` });
      expect(error.message).toContain("JavaScript function");
    }
  });

  it("refuses results that contain a function", async () => {
    for (const expr of [
      "$string",
      "function($x){ $x }",
      '{"f": $uppercase}',
      "[$sum]",
      "$merge($spread($string))",
    ]) {
      const error = await failure({ v: `{{ ${expr} }}` });
      expect(error.message).toMatch(/function/);
    }
  });

  it("a regex matcher object cannot leak its JavaScript next()", async () => {
    const error = await failure({ v: '{{ /a/("abc").next }}' });
    expect(error.message).toContain("JavaScript function");
  });

  it("$eval is removed", async () => {
    const error = await failure({ v: '{{ $eval("1 + 1") }}' });
    expect(error.message).toContain("$eval is not available");
    await failure({ v: "{{ $eval(trigger.body.name) }}" });
  });

  it("$$ is only the data", async () => {
    expect(await evaluate({ v: "{{ $$.nodes.fetch.status }}" })).toEqual({ v: 200 });
    expect(await evaluate({ v: "{{ $keys($$) }}" })).toEqual({ v: ["trigger", "nodes"] });
  });

  it("the data given is all there is: process, require, globals are not reachable", async () => {
    for (const expr of ["$process", "$require", "$globalThis", "process.env", "$env"]) {
      expect(await evaluate({ v: `{{ ${expr} }}` })).toEqual({});
    }
    await failure({ v: '{{ $require("fs") }}' });
    await failure({ v: "{{ $process() }}" });
  });

  it("input keys reserved by JSONata cannot fake a lambda", async () => {
    const fake = {
      _jsonata_lambda: true,
      body: { type: "string", value: "pwned" },
      arguments: [],
      environment: {},
    };
    const out = await evaluateParameters(
      { v: "{{ trigger.fake }}" },
      { trigger: { fake }, nodes: {} },
    );
    expect(out).toEqual({
      v: { body: { type: "string", value: "pwned" }, arguments: [], environment: {} },
    });
    await expect(
      evaluateParameters({ v: "{{ trigger.fake() }}" }, { trigger: { fake }, nodes: {} }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe("sandbox: bounded time, depth and size", () => {
  it("infinite tail recursion times out", async () => {
    const error = await failure({ v: "{{ ($f := function($n){ $f($n) }; $f(1)) }}" });
    expect(error.message).toContain("took longer than 100 ms");
  });

  it("deep non-tail recursion hits the depth limit", async () => {
    const error = await failure({
      v: "{{ ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000)) }}",
    });
    expect(error.message).toMatch(/recurses more than 300 steps deep/);
  });

  it("the time limit is configurable", async () => {
    const error = await failure(
      { v: "{{ ($f := function($n){ $f($n) }; $f(1)) }}" },
      { timeoutMs: 20 },
    );
    expect(error.message).toContain("took longer than 20 ms");
  });

  it("huge ranges fail fast", async () => {
    for (const expr of ["[1..10000000]", "[1..100000000000]", "$count([1..500000])"]) {
      const error = await failure({ v: `{{ ${expr} }}` });
      expect(error.message).toMatch(/more than 100000 items|out of range|too large/i);
    }
  });

  it("sequences built by paths are capped", async () => {
    const error = await failure({ v: "{{ [1..1000].([1..1000]) }}" });
    expect(error.message).toMatch(/more than 100000 items|took longer/);
  });

  it("a result larger than 256 KB is refused", async () => {
    const error = await failure({ v: "{{ trigger.body.big & trigger.body.big }}" });
    expect(error.message).toContain("returns more than 256 KB");
    await failure({ v: "{{ [1..60000].{ 'k': 'vvvv' } }}" });
  });

  it("the total output of one call is capped", async () => {
    const half = "{{ $substring(trigger.body.big, 0, 150000) }}";
    const params = { a: half, b: half, c: half, d: half, e: half, f: half, g: half, h: half };
    const error = await failure(params);
    expect(error.message).toContain("exceed 1 MB in total");
    expect(await evaluate({ a: half, b: half })).toBeTruthy();
  });

  it("$string($) on big data stays within the limits", async () => {
    const error = await failure({ v: "{{ $string($) }}" });
    expect(error.message).toContain("returns more than 256 KB");
  });

  it("values that explode through shared references are refused while being built", async () => {
    const expr =
      "($a := [$$, $$, $$, $$, $$, $$, $$, $$, $$, $$]; $b := [$a, $a, $a, $a, $a, $a, $a, $a, $a, $a]; $c := [$b, $b, $b, $b, $b, $b, $b, $b, $b, $b]; $string($c))";
    const error = await failure({ v: `{{ ${expr} }}` });
    expect(error.message).toContain("larger than 8 MB");
  });

  it("huge strings from $pad are refused", async () => {
    const error = await failure({ v: '{{ $pad("x", 500000000) }}' });
    expect(error.message).toMatch(/larger than 8 MB|too large/);
  });

  it("$distinct on many distinct items is linear (JSONata's own is quadratic)", async () => {
    const list = Array.from({ length: 30_000 }, (_, i) => (i % 2 ? i : { i }));
    // Linear work over 30,000 items takes 50–100 ms of CPU; the quadratic one, minutes. A 2 s
    // limit keeps this test about the algorithm, on any machine.
    const out = await evaluateParameters(
      { v: "{{ $count($distinct(trigger.list)) }}", w: "{{ $distinct(trigger.twice) }}" },
      { trigger: { list, twice: [...list.slice(0, 3), ...list.slice(0, 3)] }, nodes: {} },
      { timeoutMs: 2_000 },
    );
    expect(out).toEqual({ v: 30_000, w: [{ i: 0 }, 1, { i: 2 }] });
  });

  it("deeply nested results and data are refused", async () => {
    const nest = "{{ $reduce([1..200], function($acc, $v){ {'a': $acc} }, {}) }}";
    expect((await failure({ v: nest })).message).toContain("nested more than 64 levels");
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = { d: deep };
    await expect(
      evaluateParameters({ v: "{{ trigger }}" }, { trigger: deep, nodes: {} }),
    ).rejects.toThrow(/nested more than 64 levels/);
  });

  it("deeply nested expression source is refused cleanly", async () => {
    const error = await failure({ v: `{{ ${"(".repeat(4000)}1${")".repeat(4000)} }}` });
    expect(error.message).toMatch(/too deeply nested|recurses|could not/);
    const long = await failure({ v: `{{ ${"1 + ".repeat(3000)}1 }}` });
    expect(long.message).toContain("longer than 10000 characters");
  });
});

describe("sandbox: regular expressions", () => {
  it("catastrophic backtracking patterns run in linear time", async () => {
    const started = performance.now();
    expect(
      await evaluate({ v: '{{ $match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/) }}' }),
    ).toEqual({});
    const text = `${"a".repeat(50_000)}!`;
    expect(
      await evaluateParameters(
        { v: "{{ $contains(trigger.text, /(a|aa)+$/) }}" },
        { trigger: { text }, nodes: {} },
      ),
    ).toEqual({ v: false });
    // A backtracking engine would need far more than a minute for these.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("patterns that need backtracking are refused", async () => {
    for (const re of ["/(a)\\1/", "/a(?=b)/", "/(?<!a)b/"]) {
      const error = await failure({ v: `{{ $match("aab", ${re}) }}` });
      expect(error.message).toContain("cannot run in linear time");
    }
    const error = await failure({ v: '{{ $match("AB", /ab/i) }}' });
    expect(error.message).toContain("case-insensitive");
  });

  it("text scanned by a regex is capped", async () => {
    const error = await failure({ v: "{{ $match(trigger.body.big, /x$/) }}" });
    expect(error.message).toContain("limit 100000");
    // Plain-string patterns do not use the regex engine and have no such cap.
    expect(await evaluate({ v: '{{ $split(trigger.body.big, "xx", 5) ~> $count }}' })).toEqual({
      v: 5,
    });
  });
});

describe("helpers for the save-time validator", () => {
  const params = {
    url: "https://api/{{ trigger.body.id }}/x",
    headers: { Auth: "{{ nodes.login.token }}", plain: "text" },
    body: ['{{ {"a": {"b": 1}} }}', 3],
  };

  it("hasExpression", () => {
    expect(hasExpression(params)).toBe(true);
    expect(hasExpression({ a: "text", b: [1, { c: "x" }] })).toBe(false);
    expect(hasExpression({ "{{ key }}": "x" })).toBe(false);
    expect(hasExpression("broken {{")).toBe(true);
    expect(hasExpression(42)).toBe(false);
  });

  it("findExpressions lists each expression with its path", () => {
    expect(findExpressions(params)).toEqual([
      { path: "url", expression: " trigger.body.id " },
      { path: "headers.Auth", expression: " nodes.login.token " },
      { path: "body[0]", expression: ' {"a": {"b": 1}} ' },
    ]);
  });

  it("checkExpressionSyntax reports what does not parse, with paths", () => {
    expect(checkExpressionSyntax(params)).toEqual([]);
    const problems = checkExpressionSyntax({
      a: "{{ 1 + }}",
      b: { "odd key": ["ok", "x {{ trigger.( }}"] },
      c: "{{ unterminated",
      d: "{{ $match(x, /(a)\\1/) }}",
      e: "{{ $eval('1') }}",
    });
    expect(problems.map((p) => p.path)).toEqual(["a", 'b["odd key"][1]', "c", "d"]);
    expect(problems[0]?.message).toMatch(/expression \{\{ 1 \+ \}\}.*at character \d+/);
    expect(problems[3]?.message).toContain("linear time");
  });
});
