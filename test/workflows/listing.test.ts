import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let participant: TestClient;
let participantMemberId: string;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Listing Org")).client;
  const member = await addMember(t, owner, "PARTICIPANT");
  participant = member.client;
  participantMemberId = member.memberId;
});
afterAll(() => t.close());

interface ListedWorkflow {
  id: string;
  name: string;
  currentVersion: number | null;
  sharingMode: string;
  triggerType: string | null;
  lastExecution: { id: string; status: string; createdAt: string } | null;
}
interface ExecutionPage {
  items: {
    id: string;
    workflowId: string;
    workflowName: string;
    status: string;
    trigger: string;
  }[];
  nextCursor: string | null;
}

const manualFlow = {
  nodes: [
    { id: "start", type: "manual_trigger" },
    { id: "shape", type: "transform", parameters: { fields: { n: "{{ trigger.n }}" } } },
  ],
  edges: [{ from: "start", to: "shape" }],
};
const webhookFlow = { nodes: [{ id: "hook", type: "webhook_trigger" }] };
const waitingFlow = {
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "await",
      type: "wait_for_event",
      parameters: { key: "order-paid", timeoutSeconds: 3600 },
    },
  ],
  edges: [{ from: "start", to: "await" }],
};

async function run(client: TestClient, workflowId: string, payload = {}) {
  const { executionId } = await client.mutate<{ executionId: string }>("workflows.run", {
    workflowId,
    payload,
  });
  return executionId;
}

const listed = async (client: TestClient, id: string) =>
  (await client.list<ListedWorkflow>("workflows.list")).find((w) => w.id === id);

describe("workflows.list", () => {
  it("gives each workflow its trigger type, latest execution and sharing mode", async () => {
    const manual = await workflowWith(owner, manualFlow, "Manual one");
    const hook = await workflowWith(owner, webhookFlow, "Hooked");
    const blank = await owner.mutate<{ id: string }>("workflows.create", { name: "Blank" });

    const first = await run(owner, manual.id, { n: 1 });
    await waitForExecution(owner, first);
    const second = await run(owner, manual.id, { n: 2 });
    await waitForExecution(owner, second);

    expect(await listed(owner, manual.id)).toMatchObject({
      name: "Manual one",
      currentVersion: 1,
      sharingMode: "restricted",
      triggerType: "manual_trigger",
      lastExecution: { id: second, status: "succeeded" },
    });
    expect(await listed(owner, hook.id)).toMatchObject({
      triggerType: "webhook_trigger",
      lastExecution: null,
    });
    expect(await listed(owner, blank.id)).toMatchObject({
      currentVersion: null,
      triggerType: null,
      lastExecution: null,
    });
  });

  it("the trigger type follows the current version", async () => {
    const wf = await workflowWith(owner, manualFlow, "Changes trigger");
    await owner.mutate("workflows.saveDefinition", { workflowId: wf.id, definition: webhookFlow });
    expect((await listed(owner, wf.id))?.triggerType).toBe("webhook_trigger");
  });

  it("a participant lists only what is shared with them", async () => {
    const granted = await workflowWith(owner, manualFlow, "Granted to participant");
    const hidden = await workflowWith(owner, manualFlow, "Not granted");
    await owner.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: granted.id,
      memberId: participantMemberId,
      level: "view",
    });
    const ids = (await participant.list<ListedWorkflow>("workflows.list")).map((w) => w.id);
    expect(ids).toContain(granted.id);
    expect(ids).not.toContain(hidden.id);
  });
});

describe("executions.list", () => {
  it("lists across workflows with their names, filtered by workflow, status and trigger", async () => {
    const manual = await workflowWith(owner, manualFlow, "Filter manual");
    const waiting = await workflowWith(owner, waitingFlow, "Filter waiting");
    const done = await run(owner, manual.id);
    await waitForExecution(owner, done);
    const parked = await run(owner, waiting.id);
    await waitForExecution(owner, parked, ["waiting"]);

    const all = await owner.query<ExecutionPage>("executions.list", {});
    expect(all.items.find((e) => e.id === done)).toMatchObject({
      workflowId: manual.id,
      workflowName: "Filter manual",
      status: "succeeded",
      trigger: "manual",
    });
    expect(all.items.map((e) => e.id)).toContain(parked);

    const ofWaiting = await owner.query<ExecutionPage>("executions.list", {
      workflowId: waiting.id,
    });
    expect(ofWaiting.items.map((e) => e.id)).toEqual([parked]);

    const waitingNow = await owner.query<ExecutionPage>("executions.list", { status: "waiting" });
    expect(waitingNow.items.every((e) => e.status === "waiting")).toBe(true);
    expect(waitingNow.items.map((e) => e.id)).toContain(parked);

    const byWebhook = await owner.query<ExecutionPage>("executions.list", { trigger: "webhook" });
    expect(byWebhook.items).toEqual([]);
  });

  it("pages by cursor, newest first, without skipping or repeating", async () => {
    const wf = await workflowWith(owner, manualFlow, "Paged");
    const started: string[] = [];
    for (let i = 0; i < 5; i++) started.push(await run(owner, wf.id, { n: i }));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result: ExecutionPage = await owner.query("executions.list", {
        workflowId: wf.id,
        limit: 2,
        ...(cursor && { cursor }),
      });
      seen.push(...result.items.map((e) => e.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([...started].reverse());
  });

  it("shows a participant only executions of workflows they may view", async () => {
    const granted = await workflowWith(owner, manualFlow, "Participant sees");
    const hidden = await workflowWith(owner, manualFlow, "Participant does not see");
    await owner.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: granted.id,
      memberId: participantMemberId,
      level: "view",
    });
    const visible = await run(owner, granted.id);
    const invisible = await run(owner, hidden.id);
    const ids = (await participant.query<ExecutionPage>("executions.list", {})).items.map(
      (e) => e.id,
    );
    expect(ids).toContain(visible);
    expect(ids).not.toContain(invisible);
    const refused = await participant.trpcError("query", "executions.list", {
      workflowId: hidden.id,
    });
    expect(refused.status).toBe(404);
  });

  it("refuses a forged cursor, an unknown status and an unknown field with a 400 naming it", async () => {
    const forged = await owner.trpcError("query", "executions.list", {
      cursor: "bm90LWEtY3Vyc29y",
    });
    expect(forged.status).toBe(400);
    expect(forged.message).toContain("cursor");
    const status = await owner.trpcError("query", "executions.list", { status: "done" });
    expect(status.status).toBe(400);
    expect(status.message).toContain("status");
    const unknown = await owner.trpcError("query", "executions.list", { workflow: "x" });
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain("workflow");
  });
});

describe("executions.get", () => {
  it("names the workflow and says what a waiting step waits for, until it is signalled", async () => {
    const wf = await workflowWith(owner, waitingFlow, "Awaits payment");
    const id = await run(owner, wf.id);
    const parked = await waitForExecution(owner, id, ["waiting"]);
    const view = await owner.query<{
      workflowName: string;
      steps: { nodeId: string; waitingFor: { kind: string; key?: string } | null }[];
    }>("executions.get", { executionId: parked.id });
    expect(view.workflowName).toBe("Awaits payment");
    expect(view.steps.find((s) => s.nodeId === "await")?.waitingFor).toMatchObject({
      kind: "signal",
      key: "order-paid",
    });
    await owner.mutate("executions.signal", { executionId: id, key: "order-paid", payload: {} });
    await waitForExecution(owner, id);
    const after = await owner.query<{ steps: { nodeId: string; waitingFor: unknown }[] }>(
      "executions.get",
      { executionId: id },
    );
    expect(after.steps.find((s) => s.nodeId === "await")?.waitingFor).toBeNull();
  });

  it("points a review node's wait at its review", async () => {
    const wf = await workflowWith(owner, {
      nodes: [
        { id: "start", type: "manual_trigger" },
        { id: "ask", type: "review", parameters: { title: "Ship it?" } },
      ],
      edges: [{ from: "start", to: "ask" }],
    });
    const id = await run(owner, wf.id);
    await waitForExecution(owner, id, ["waiting"]);
    const { items } = await owner.query<{ items: { id: string; executionId: string }[] }>(
      "reviews.list",
    );
    const reviewId = items.find((r) => r.executionId === id)?.id;
    expect(reviewId).toBeTruthy();
    const view = await owner.query<{ steps: { nodeId: string; waitingFor: unknown }[] }>(
      "executions.get",
      { executionId: id },
    );
    expect(view.steps.find((s) => s.nodeId === "ask")?.waitingFor).toMatchObject({
      kind: "review",
      reviewId,
    });
  });
});
