import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "../workflows/harness.ts";

let t: TestApp;
let owner: TestClient;
let participant: { client: TestClient; memberId: string; email: string };

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Review Authority Org")).client;
  participant = await addMember(t, owner, "PARTICIPANT");
});
afterAll(() => t.close());

const reviewFlow = (parameters: Record<string, unknown>) => ({
  nodes: [
    { id: "start", type: "manual_trigger" },
    { id: "ask", type: "review", parameters: { title: "Pay?", ...parameters } },
  ],
  edges: [{ from: "start", to: "ask" }],
});

const reviewsOf = (executionId: string) =>
  dbRows(t, sql`select id from review_request where execution_id = ${executionId}`);

it("saving a review node needs review:create, and review:link when it notifies", async () => {
  const { id } = await participant.client.mutate<{ id: string }>("workflows.create", {
    name: "mine",
  });
  for (const parameters of [{}, { notify: { channel: "email", to: [participant.email] } }]) {
    const refused = await participant.client.trpcError("mutate", "workflows.saveDefinition", {
      workflowId: id,
      definition: reviewFlow(parameters),
    });
    expect(refused.status).toBe(403);
    expect(refused.error.message).toContain("review:create");
    expect(refused.error.message).toContain('node "ask"');
  }
  // the same workflow without a review node saves
  await participant.client.mutate("workflows.saveDefinition", {
    workflowId: id,
    definition: { nodes: [{ id: "start", type: "manual_trigger" }], edges: [] },
  });
});

it("a review node runs with its author's authority: an author who lost review:create fails it, raising nothing", async () => {
  const admin = await addMember(t, owner, "ADMIN");
  const wf = await workflowWith(
    admin.client,
    reviewFlow({ publicLink: true, notify: { channel: "email", to: [admin.email] } }),
  );
  await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "PARTICIPANT" });
  const { executionId } = await admin.client.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  const done = await waitForExecution(owner, executionId);
  expect(done.status).toBe("failed");
  expect(stepOf(done, "ask")?.error).toContain("review:create");
  expect(await reviewsOf(executionId)).toEqual([]);

  // restored, the same version raises its review
  await owner.mutate("members.updateRole", { memberId: admin.memberId, role: "ADMIN" });
  const again = await admin.client.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  await waitForExecution(owner, again.executionId, ["waiting"]);
  expect(await reviewsOf(again.executionId)).toHaveLength(1);
});
