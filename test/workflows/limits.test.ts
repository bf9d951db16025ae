import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { startSink, stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let inFlight = 0;
let maxInFlight = 0;
let sink: Awaited<ReturnType<typeof startSink>>;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*"), orgConcurrency: 1 });
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Limits Org")).client;
  sink = await startSink((req, res) => {
    if (req.url === "/big") {
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ blob: "x".repeat(50_000) }));
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end("{}");
    }, 150);
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

describe("execution limits and the execution log", () => {
  it("runs at most the organization's concurrency limit at once", async () => {
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        { id: "slow", type: "http_request", parameters: { url: `${sink.url}/slow` } },
      ],
      edges: [{ from: "start", to: "slow" }],
    });
    const ids = await Promise.all(
      [1, 2, 3, 4].map(
        async () =>
          (await owner.mutate<{ executionId: string }>("workflows.run", { workflowId: wf.id }))
            .executionId,
      ),
    );
    for (const id of ids) expect((await waitForExecution(owner, id)).status).toBe("succeeded");
    expect(maxInFlight).toBe(1);
  });

  it("redacts sensitive inputs and truncates large outputs in the log, with a marker", async () => {
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "big",
          type: "http_request",
          parameters: {
            url: `${sink.url}/big`,
            headers: { Authorization: "Bearer {{ trigger.key }}" },
          },
        },
        {
          id: "use",
          type: "transform",
          parameters: { fields: { size: "{{ $length(nodes.big.body.blob) }}" } },
        },
      ],
      edges: [
        { from: "start", to: "big" },
        { from: "big", to: "use" },
      ],
    });
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: wf.id,
      payload: { key: "typed-in-secret-42" },
    });
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("succeeded");
    const big = stepOf(done, "big") as unknown as {
      input: { headers: Record<string, string> };
      output: Record<string, unknown>;
    };
    expect(big.input.headers.Authorization).toBe("[redacted]");
    expect(big.output).toMatchObject({ truncated: true });
    // the next node still worked with the whole output
    expect(stepOf(done, "use")?.output).toEqual({ size: 50_000 });
    // the header built from the payload is redacted wherever the node's input is shown
    expect(JSON.stringify(big)).not.toContain("typed-in-secret-42");
  });
});
