import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { startSink, stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let sink: Awaited<ReturnType<typeof startSink>>;
let failuresLeft = 0;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Engine Org")).client;
  sink = await startSink((req, res) => {
    if (req.url.startsWith("/flaky") && failuresLeft > 0) {
      failuresLeft--;
      res.statusCode = 503;
      return res.end("busy");
    }
    if (req.url.startsWith("/hang")) return; // never answers
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ received: req.body ? JSON.parse(req.body) : null }));
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

const run = async (workflowId: string, payload: Record<string, unknown> = {}) =>
  (await owner.mutate<{ executionId: string }>("workflows.run", { workflowId, payload }))
    .executionId;

describe("running workflows", () => {
  it("runs trigger → transform → HTTP request with a credential → if, down the right branch", async () => {
    const credential = await owner.mutate<{ id: string }>("credentials.create", {
      name: "sink token",
      type: "http_bearer",
      secret: { token: "sink-token-123" },
    });
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "shape",
          type: "transform",
          parameters: { fields: { amount: "{{ trigger.amount * 2 }}", who: "{{ trigger.name }}" } },
        },
        {
          id: "post",
          type: "http_request",
          credentialId: credential.id,
          parameters: { method: "POST", url: `${sink.url}/orders`, body: "{{ nodes.shape }}" },
        },
        { id: "check", type: "if", parameters: { condition: "{{ nodes.post.status = 200 }}" } },
        { id: "ok", type: "transform", parameters: { fields: { done: true } } },
        { id: "bad", type: "transform", parameters: { fields: { done: false } } },
      ],
      edges: [
        { from: "start", to: "shape" },
        { from: "shape", to: "post" },
        { from: "post", to: "check" },
        { from: "check", to: "ok", port: "true" },
        { from: "check", to: "bad", port: "false" },
      ],
    });
    const execution = await waitForExecution(owner, await run(wf.id, { amount: 21, name: "Ada" }));
    expect(execution.status).toBe("succeeded");
    expect(stepOf(execution, "shape")?.output).toEqual({ amount: 42, who: "Ada" });
    expect(stepOf(execution, "ok")?.status).toBe("succeeded");
    expect(stepOf(execution, "bad")?.status).toBe("skipped");
    const received = sink.requests.find((r) => r.url === "/orders");
    expect(received?.headers.authorization).toBe("Bearer sink-token-123");
    expect(JSON.parse(received?.body ?? "")).toEqual({ amount: 42, who: "Ada" });
    expect(JSON.stringify(execution)).not.toContain("sink-token-123");
  });

  it("retries a failing node per its policy and records the attempts", async () => {
    failuresLeft = 2;
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "call",
          type: "http_request",
          parameters: { url: `${sink.url}/flaky`, failOnStatus: true },
          retry: { attempts: 3, backoffMs: 0 },
        },
      ],
      edges: [{ from: "start", to: "call" }],
    });
    const execution = await waitForExecution(owner, await run(wf.id));
    expect(execution.status).toBe("succeeded");
    expect(stepOf(execution, "call")?.attempt).toBe(3);
  });

  it("fails a node that passes its timeout, naming the node", async () => {
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "slow",
          type: "http_request",
          parameters: { url: `${sink.url}/hang` },
          timeoutMs: 300,
        },
      ],
      edges: [{ from: "start", to: "slow" }],
    });
    const execution = await waitForExecution(owner, await run(wf.id));
    expect(execution.status).toBe("failed");
    expect(execution.error).toContain('node "slow"');
    expect(stepOf(execution, "slow")?.error).toContain("timed out");
  });

  it("blocks an HTTP request to a private address with a clear error", async () => {
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        {
          id: "meta",
          type: "http_request",
          parameters: { url: "http://169.254.169.254/latest/meta-data" },
        },
      ],
      edges: [{ from: "start", to: "meta" }],
    });
    const execution = await waitForExecution(owner, await run(wf.id));
    expect(execution.status).toBe("failed");
    expect(stepOf(execution, "meta")?.error).toMatch(/blocked|link-local/);
  });
});

describe("waiting for an event", () => {
  const waiting = (timeoutSeconds: number, onTimeout = "branch") => ({
    nodes: [
      { id: "start", type: "manual_trigger" },
      {
        id: "wait",
        type: "wait_for_event",
        parameters: { key: "approval", timeoutSeconds, onTimeout },
      },
      {
        id: "got",
        type: "transform",
        parameters: { fields: { decision: "{{ nodes.wait.decision }}" } },
      },
      { id: "late", type: "transform", parameters: { fields: { late: true } } },
    ],
    edges: [
      { from: "start", to: "wait" },
      { from: "wait", to: "got", port: "event" },
      { from: "wait", to: "late", port: "timeout" },
    ],
  });

  it("parks durably and resumes on the event's branch with its payload", async () => {
    const wf = await workflowWith(owner, waiting(3600));
    const executionId = await run(wf.id);
    await waitForExecution(owner, executionId, ["waiting"]);
    await owner.mutate("executions.signal", {
      executionId,
      key: "approval",
      payload: { decision: "yes" },
    });
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("succeeded");
    expect(stepOf(done, "got")?.output).toEqual({ decision: "yes" });
    expect(stepOf(done, "late")?.status).toBe("skipped");
    // the wait's step took from its start to the event (the viewer shows it as its duration)
    type Timed = { nodeId: string; startedAt: string; finishedAt: string; durationMs: number };
    const { steps } = await owner.query<{ steps: Timed[] }>("executions.get", { executionId });
    const waited = steps.find((step) => step.nodeId === "wait");
    expect(waited?.durationMs).toEqual(expect.any(Number));
    const span = Date.parse(String(waited?.finishedAt)) - Date.parse(String(waited?.startedAt));
    expect(Math.abs(Number(waited?.durationMs) - span)).toBeLessThanOrEqual(1);
    const again = await owner.trpcError("mutate", "executions.signal", {
      executionId,
      key: "approval",
    });
    expect(again.status).toBe(409);
  });

  it("follows the timeout branch when nothing arrives", async () => {
    const wf = await workflowWith(owner, waiting(1));
    const done = await waitForExecution(owner, await run(wf.id), undefined, 30_000);
    expect(done.status).toBe("succeeded");
    expect(stepOf(done, "late")?.status).toBe("succeeded");
    expect(stepOf(done, "got")?.status).toBe("skipped");
  });

  it("a waiting execution can be cancelled; it then takes no event", async () => {
    const wf = await workflowWith(owner, waiting(3600));
    const executionId = await run(wf.id);
    await waitForExecution(owner, executionId, ["waiting"]);
    await owner.mutate("executions.cancel", { executionId });
    const view = await waitForExecution(owner, executionId, ["cancelled"]);
    expect(view.status).toBe("cancelled");
    await owner
      .mutate("executions.signal", { executionId, key: "approval" })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await waitForExecution(owner, executionId, ["cancelled"])).steps.find(
        (s) => s.nodeId === "got",
      ),
    ).toBeUndefined();
  });
});
