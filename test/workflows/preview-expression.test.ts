import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { startSink, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let participant: TestClient;
let participantMemberId: string;
let outsider: TestClient;
let sink: Awaited<ReturnType<typeof startSink>>;

const TOKEN = "preview-secret-token-7f3a9c";

type Preview =
  | { value?: unknown; source: { executionId: string; version: number } }
  | { error: string; source: { executionId: string } | null };

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Preview Org")).client;
  const member = await addMember(t, owner, "PARTICIPANT");
  participant = member.client;
  participantMemberId = member.memberId;
  outsider = (await orgOwner(t, "Other Org")).client;
  // answers with the token it was sent, as a careless API would
  sink = await startSink((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ items: [1, 2, 3], echoed: req.headers.authorization }));
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

async function orderFlow() {
  const credential = await owner.mutate<{ id: string }>("credentials.create", {
    name: "Orders API",
    type: "http_bearer",
    settings: {},
    secret: { token: TOKEN },
  });
  return workflowWith(owner, {
    nodes: [
      { id: "start", type: "manual_trigger" },
      {
        id: "fetch",
        type: "http_request",
        credentialId: credential.id,
        parameters: { url: `${sink.url}/orders` },
      },
      { id: "shape", type: "transform", parameters: { fields: { n: "{{ trigger.order.id }}" } } },
    ],
    edges: [
      { from: "start", to: "fetch" },
      { from: "fetch", to: "shape" },
    ],
  });
}

async function runOnce(workflowId: string, payload: Record<string, unknown>) {
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId,
    payload,
  });
  await waitForExecution(owner, executionId);
  return executionId;
}

const preview = (client: TestClient, workflowId: string, nodeId: string, template: string) =>
  client.mutate<Preview>("workflows.previewExpression", { workflowId, nodeId, template });

describe("workflows.previewExpression", () => {
  it("before any execution, says so, and still checks the syntax", async () => {
    const wf = await orderFlow();
    expect(await preview(owner, wf.id, "shape", "{{ trigger.order.id }}")).toEqual({
      error: expect.stringContaining("has not run yet"),
      source: null,
    });
    const bad = await preview(owner, wf.id, "shape", "{{ trigger.order.( }}");
    expect(bad).toMatchObject({ error: expect.stringContaining("expression"), source: null });
  });

  it("evaluates against the latest execution: the trigger payload and earlier nodes' outputs", async () => {
    const wf = await orderFlow();
    await runOnce(wf.id, { order: { id: 41 } });
    const executionId = await runOnce(wf.id, { order: { id: 42 } });

    expect(await preview(owner, wf.id, "shape", "{{ trigger.order.id }}")).toEqual({
      value: 42,
      source: expect.objectContaining({ executionId, version: 1 }),
    });
    const sum = await preview(owner, wf.id, "shape", "{{ $sum(nodes.fetch.body.items) }}");
    expect(sum).toMatchObject({ value: 6 });
    const text = await preview(
      owner,
      wf.id,
      "shape",
      "Order {{ trigger.order.id }} ({{ nodes.fetch.status }})",
    );
    expect(text).toMatchObject({ value: "Order 42 (200)" });
    // a node sees only the nodes that ran before it, as when it ran
    const later = await preview(owner, wf.id, "fetch", "{{ $exists(nodes.shape) }}");
    expect(later).toMatchObject({ value: false });
    // a node added since that execution sees every node that ran
    const added = await preview(owner, wf.id, "notSavedYet", "{{ nodes.shape.n }}");
    expect(added).toMatchObject({ value: 42 });
    // nothing at the path: no value rather than an error
    const missing = await preview(owner, wf.id, "shape", "{{ trigger.nothing }}");
    expect(missing).not.toHaveProperty("error");
    expect(missing).not.toHaveProperty("value");
  });

  it("masks the workflow's credential secrets and redacts sensitive keys, in the data too", async () => {
    const wf = await orderFlow();
    await runOnce(wf.id, { note: `token is ${TOKEN}`, apiKey: "k-123456", order: { id: 1 } });
    expect(await preview(owner, wf.id, "shape", "{{ trigger.note }}")).toMatchObject({
      value: "token is ***",
    });
    // the secret is not in the data, so no expression can take it apart
    const pieces = await preview(owner, wf.id, "shape", "{{ $substring(trigger.note, 9, 12) }}");
    expect(JSON.stringify(pieces)).not.toContain(TOKEN.slice(0, 12));
    expect(await preview(owner, wf.id, "shape", "{{ trigger.apiKey }}")).toMatchObject({
      value: "[redacted]",
    });
    const echoed = await preview(owner, wf.id, "shape", "{{ nodes.fetch.body.echoed }}");
    expect(JSON.stringify(echoed)).not.toContain(TOKEN);
  });

  it("a bad expression is an error to show, not a failed request", async () => {
    const wf = await orderFlow();
    await runOnce(wf.id, { order: { id: 7 } });
    const syntax = await preview(owner, wf.id, "shape", "{{ trigger.order.( }}");
    expect(syntax).toMatchObject({ error: expect.any(String), source: expect.any(Object) });
    const runtime = await preview(owner, wf.id, "shape", '{{ $number("seven") + 1 }}');
    expect(runtime).toMatchObject({ error: expect.any(String) });
    const unclosed = await preview(owner, wf.id, "shape", "Hello {{ trigger.order.id");
    expect(unclosed).toMatchObject({ error: expect.stringContaining("no matching") });
  });

  it("needs view on the workflow: refused across organizations and without a grant", async () => {
    const wf = await orderFlow();
    await runOnce(wf.id, { order: { id: 9 } });
    const foreign = await outsider.trpcError("mutate", "workflows.previewExpression", {
      workflowId: wf.id,
      nodeId: "shape",
      template: "{{ trigger }}",
    });
    expect(foreign.status).toBe(404);
    const ungranted = await participant.trpcError("mutate", "workflows.previewExpression", {
      workflowId: wf.id,
      nodeId: "shape",
      template: "{{ trigger }}",
    });
    expect(ungranted.status).toBe(404);

    await owner.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: wf.id,
      memberId: participantMemberId,
      level: "view",
    });
    expect(await preview(participant, wf.id, "shape", "{{ trigger.order.id }}")).toMatchObject({
      value: 9,
    });
  });
});
