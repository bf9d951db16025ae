import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { startSink, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let sink: Awaited<ReturnType<typeof startSink>>;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  ({ client: owner } = await orgOwner(t, "Ordered Org"));
  sink = await startSink();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

interface LoggedStep {
  nodeId: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

describe("an execution's log", () => {
  it("lists the steps in the order they ran, each started before it finished", async () => {
    // Node ids sort against the order they run in, so neither an id nor an insertion order
    // can pass for the execution order.
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "z-start", type: "manual_trigger" },
        { id: "y-shape", type: "transform", parameters: { fields: { n: 1 } } },
        { id: "x-check", type: "if", parameters: { condition: "{{ nodes.`y-shape`.n = 1 }}" } },
        { id: "w-skipped", type: "transform", parameters: { fields: { never: true } } },
        { id: "v-post", type: "http_request", parameters: { url: `${sink.url}/ordered` } },
        { id: "u-last", type: "transform", parameters: { fields: { done: true } } },
      ],
      edges: [
        { from: "z-start", to: "y-shape" },
        { from: "y-shape", to: "x-check" },
        { from: "x-check", to: "w-skipped", port: "false" },
        { from: "x-check", to: "v-post", port: "true" },
        { from: "v-post", to: "u-last" },
      ],
    });
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: wf.id,
    });
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("succeeded");
    const steps = (await owner.query<{ steps: LoggedStep[] }>("executions.get", { executionId }))
      .steps;

    const order = steps.map((s) => s.nodeId);
    const ranBefore = (a: string, b: string) =>
      expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    expect(order).toHaveLength(6);
    expect(order[0]).toBe("z-start");
    ranBefore("z-start", "y-shape");
    ranBefore("y-shape", "x-check");
    ranBefore("x-check", "w-skipped");
    ranBefore("x-check", "v-post");
    ranBefore("v-post", "u-last");

    for (const step of steps) {
      expect(step.finishedAt, step.nodeId).not.toBeNull();
      expect(Date.parse(step.startedAt), step.nodeId).toBeLessThanOrEqual(
        Date.parse(step.finishedAt ?? ""),
      );
    }
    const starts = steps.map((s) => Date.parse(s.startedAt));
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1] ?? 0);
  });
});
