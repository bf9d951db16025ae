import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execution, reviewRequest } from "../../src/db/schema/index.ts";
import { withTenant } from "../../src/db/tenant.ts";
import { parkExecution } from "../../src/modules/workflows/engine/events.ts";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "../workflows/harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let participant: { client: TestClient; memberId: string };
let reviewer: { client: TestClient; memberId: string };

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  ({ client: owner, orgId } = await orgOwner(t, "Review Waits Org"));
  participant = await addMember(t, owner, "PARTICIPANT");
  reviewer = await addMember(t, owner, "REVIEWER");
});
afterAll(() => t.close());

const flow = {
  nodes: [
    { id: "start", type: "manual_trigger" },
    { id: "ask", type: "review", parameters: { title: "Pay?" } },
    { id: "event", type: "wait_for_event", parameters: { key: "go", timeoutSeconds: 600 } },
    { id: "yes", type: "transform", parameters: { fields: { paid: true } } },
    { id: "no", type: "transform", parameters: { fields: { paid: false } } },
  ],
  edges: [
    { from: "start", to: "ask" },
    { from: "ask", to: "yes", port: "approved" },
    { from: "ask", to: "no", port: "rejected" },
    { from: "no", to: "event" },
  ],
};

it("a signal cannot end a review's wait, whoever sends it; the review's decision still does", async () => {
  const wf = await workflowWith(owner, flow);
  await owner.mutate("sharing.grant", {
    assetType: "workflow",
    assetId: wf.id,
    memberId: participant.memberId,
    level: "edit",
  });
  const { executionId } = await participant.client.mutate<{ executionId: string }>(
    "workflows.run",
    { workflowId: wf.id },
  );
  await waitForExecution(owner, executionId, ["waiting"]);
  const { items: reviews } = await owner.query<{ items: { id: string; executionId: string }[] }>(
    "reviews.list",
  );
  const reviewId = reviews.find((r) => r.executionId === executionId)?.id as string;

  for (const client of [participant.client, owner]) {
    const refused = await client.trpcError("mutate", "executions.signal", {
      executionId,
      key: `review:${reviewId}`,
      payload: { decision: "approved" },
    });
    expect(refused.status).toBe(400);
    expect(refused.error.message).toContain("decision on the review");
  }
  const still = await owner.query<{ status: string }>("reviews.get", { reviewId });
  expect(still.status).toBe("pending");
  const waiting = await waitForExecution(owner, executionId, ["waiting"]);
  expect(stepOf(waiting, "ask")?.status).toBe("waiting");

  await reviewer.client.mutate("reviews.decide", { reviewId, decision: "rejected" });
  const parked = await waitForExecution(owner, executionId, ["waiting", "failed"]);
  expect(stepOf(parked, "ask")).toMatchObject({ status: "succeeded", port: "rejected" });
  expect(stepOf(parked, "yes")?.status).toBe("skipped");

  // an ordinary event wait is still resumed by a signal
  await participant.client.mutate("executions.signal", {
    executionId,
    key: "go",
    payload: { ok: 1 },
  });
  const done = await waitForExecution(owner, executionId);
  expect(done.status).toBe("succeeded");
  expect(stepOf(done, "event")).toMatchObject({ status: "succeeded", port: "event" });
});

it("a wait-for-event node may not take a key in the reviews' namespace", async () => {
  const refused = await owner.trpcError("mutate", "workflows.saveDefinition", {
    workflowId: (await owner.mutate<{ id: string }>("workflows.create", { name: "w" })).id,
    definition: {
      nodes: [
        { id: "start", type: "manual_trigger" },
        { id: "wait", type: "wait_for_event", parameters: { key: "review:x", timeoutSeconds: 5 } },
      ],
      edges: [{ from: "start", to: "wait" }],
    },
  });
  expect(refused.status).toBe(400);
  expect(refused.error.message).toContain("parameters.key");
});

it("a decision made before the execution is parked still resumes it", async () => {
  const wf = await workflowWith(owner, flow);
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  await waitForExecution(owner, executionId, ["waiting"]);
  const [review] = await t.deps.database.db
    .select({ id: reviewRequest.id })
    .from(reviewRequest)
    .where(eq(reviewRequest.executionId, executionId));
  const reviewId = review?.id as string;

  // The window between storing the review and parking: the worker still holds the execution.
  await t.deps.database.db
    .update(execution)
    .set({ status: "running", leaseUntil: sql`now() + interval '1 minute'` })
    .where(eq(execution.id, executionId));
  await owner.mutate("reviews.decide", { reviewId, decision: "approved" });
  const stillRunning = await owner.query<{ status: string }>("executions.get", { executionId });
  expect(stillRunning.status).toBe("running");

  await withTenant(t.deps.database.db, orgId, (tx) =>
    parkExecution(t.deps.engine, tx, { orgId, executionId }),
  );
  const done = await waitForExecution(owner, executionId, ["succeeded", "failed"]);
  expect(stepOf(done, "ask")).toMatchObject({ status: "succeeded", port: "approved" });
  expect(stepOf(done, "yes")?.status).toBe("succeeded");
  expect(done.status).toBe("succeeded");
});
