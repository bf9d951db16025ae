import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Runaway Org")).client;
});
afterAll(async () => {
  await t.close();
});

/** Runs a manual trigger → transform workflow whose one field is `expression`. */
async function runTransform(expression: string, payload: unknown = {}) {
  const wf = await workflowWith(owner, {
    nodes: [
      { id: "start", type: "manual_trigger" },
      { id: "t", type: "transform", parameters: { fields: { v: `{{ ${expression} }}` } } },
    ],
    edges: [{ from: "start", to: "t" }],
  });
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
    payload,
  });
  return executionId;
}

const RUNAWAYS: [expression: string, limit: RegExp][] = [
  // width from the payload, as a webhook sender would choose it
  ['$pad("", trigger.width, "ab")', /larger than 8 MB|more than 256 MB|longer than 100 ms/],
  ['$join([1..99999].$pad("", 99999, "ab"), "")', /larger than 8 MB|longer than 100 ms/],
  ["$map([1..100000000], function($v){ $v })", /more than 100000 items/],
  ["($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))", /more than 300 steps/],
];

/**
 * Asks /healthz every 20 ms until `work` settles; each delay counts from when the request was
 * due, so time the event loop spent blocked before sending counts too.
 */
async function healthWhile<T>(work: () => Promise<T>) {
  const health = t.client();
  let finished = false;
  let slowest = 0;
  let answeredWhileRunning = 0;
  const poll = async () => {
    let due = performance.now();
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const res = await health.fetch("/healthz");
      expect(res.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - due);
      if (!finished) answeredWhileRunning++;
      due = Math.max(due + 20, performance.now());
    }
  };
  const [result] = await Promise.all([work().finally(() => (finished = true)), poll()]);
  return { result, slowest, answeredWhileRunning };
}

describe("runaway expressions", () => {
  it("never hold up the server: /healthz answers fast while they run, and they fail naming the limit", async () => {
    const ids = await Promise.all(
      RUNAWAYS.map(([expression]) => runTransform(expression, { width: 120_000_000 })),
    );
    const watch = async () => {
      for (;;) {
        const executions = await Promise.all(
          ids.map((executionId) =>
            owner.query<{ status: string }>("executions.get", { executionId }),
          ),
        );
        if (executions.every((e) => e.status === "failed" || e.status === "succeeded")) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const { slowest, answeredWhileRunning } = await healthWhile(watch);
    expect(answeredWhileRunning).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(500);

    for (const [i, executionId] of ids.entries()) {
      const [, limit] = RUNAWAYS[i % RUNAWAYS.length] ?? [];
      const done = await waitForExecution(owner, executionId);
      expect(done.status).toBe("failed");
      expect(stepOf(done, "t")?.error).toMatch(limit as RegExp);
    }

    // The server keeps working, expressions included.
    const normal = await waitForExecution(owner, await runTransform("trigger.n * 2", { n: 21 }));
    expect(normal.status).toBe("succeeded");
    expect(stepOf(normal, "t")?.output).toEqual({ v: 42 });
  });

  it("are not read by the server when saved either: a workflow of slow-to-read expressions is refused, naming the limit", async () => {
    // JSONata reads a path of n steps in time quadratic in n: this one takes 0.2 s of CPU to
    // read on the development machine, and the definition holds 60 of them (0.4 MB), which the
    // server once read in its own thread at save.
    const slowPath = Array.from({ length: 3_300 }, () => "*").join(".");
    const fields = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`f${i}`, `{{ ${slowPath} }}`]),
    );
    const { id } = await owner.mutate<{ id: string }>("workflows.create", { name: "slow to read" });
    const { result: refused, slowest } = await healthWhile(() =>
      owner.trpcError("mutate", "workflows.saveDefinition", {
        workflowId: id,
        definition: {
          nodes: [
            { id: "start", type: "manual_trigger" },
            { id: "t", type: "transform", parameters: { fields } },
          ],
          edges: [{ from: "start", to: "t" }],
        },
      }),
    );
    expect(slowest).toBeLessThan(500);
    expect(refused.status).toBe(400);
    const problems = refused.error.data.details?.problems as { message: string }[];
    expect(problems[0]?.message).toMatch(/takes longer than 100 ms to read/);
    expect(problems.at(-1)?.message).toMatch(/expressions take longer than 2000 ms to read/);
  });
});
