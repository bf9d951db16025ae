import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireWait } from "../../src/modules/workflows/engine/events.ts";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "../workflows/harness.ts";

let t: TestApp;
let owner: TestClient;
let participant: { client: TestClient; memberId: string };
let reviewer: { client: TestClient; memberId: string };
let otherReviewer: { client: TestClient; memberId: string };

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Review Org")).client;
  participant = await addMember(t, owner, "PARTICIPANT");
  reviewer = await addMember(t, owner, "REVIEWER");
  otherReviewer = await addMember(t, owner, "REVIEWER");
});
afterAll(() => t.close());

const reviewFlow = (params: Record<string, unknown> = {}) => ({
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "ask",
      type: "review",
      parameters: {
        title: "Refund {{ trigger.amount }} EUR?",
        body: "Customer {{ trigger.who }}",
        payload: "{{ trigger }}",
        ...params,
      },
    },
    {
      id: "yes",
      type: "transform",
      parameters: { fields: { paid: true, by: "{{ nodes.ask.by }}" } },
    },
    { id: "no", type: "transform", parameters: { fields: { paid: false } } },
    { id: "late", type: "transform", parameters: { fields: { expired: true } } },
  ],
  edges: [
    { from: "start", to: "ask" },
    { from: "ask", to: "yes", port: "approved" },
    { from: "ask", to: "no", port: "rejected" },
    { from: "ask", to: "late", port: "expired" },
  ],
});

type Review = { id: string; title: string; status: string; executionId: string | null };

async function pendingReviewOf(executionId: string): Promise<Review> {
  await waitForExecution(owner, executionId, ["waiting"]);
  const all = (await owner.query<{ items: Review[] }>("reviews.list", { status: "pending" })).items;
  const found = all.find((r) => r.executionId === executionId);
  if (!found) throw new Error("no review for the execution");
  return found;
}

const runFlow = async (params: Record<string, unknown> = {}) => {
  const wf = await workflowWith(owner, reviewFlow(params));
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
    payload: { amount: 40, who: "Ada" },
  });
  return { workflowId: wf.id, executionId };
};

describe("reviews raised by a workflow", () => {
  it("pauses the execution, and an approval in the app resumes it down the approved branch", async () => {
    const { executionId } = await runFlow();
    const review = await pendingReviewOf(executionId);
    expect(review.title).toBe("Refund 40 EUR?");

    await reviewer.client.mutate("reviews.decide", {
      reviewId: review.id,
      decision: "approved",
      comment: "ok",
    });
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("succeeded");
    expect(stepOf(done, "yes")?.status).toBe("succeeded");
    expect(stepOf(done, "no")?.status).toBe("skipped");
    const detail = await owner.query<{
      status: string;
      decision: { channel: string; comment: string };
      activity: { kind: string; ip: string | null; userAgent: string | null }[];
    }>("reviews.get", { reviewId: review.id });
    expect(detail.status).toBe("approved");
    expect(detail.decision).toMatchObject({ channel: "app", comment: "ok" });
    expect(detail.activity.find((a) => a.kind === "approved")?.ip).toBe(reviewer.client.ip);
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "review.approved" && e.targetId === review.id,
      ),
    ).toBe(true);
  });

  it("a rejection takes the rejected branch", async () => {
    const { executionId } = await runFlow();
    const review = await pendingReviewOf(executionId);
    await owner.mutate("reviews.decide", { reviewId: review.id, decision: "rejected" });
    const done = await waitForExecution(owner, executionId);
    expect(stepOf(done, "no")?.status).toBe("succeeded");
    expect(stepOf(done, "yes")?.status).toBe("skipped");
  });

  it("expiry follows the expired branch, and an expired review cannot be decided", async () => {
    const { executionId } = await runFlow({ expiresInHours: 0.02 }); // 72 s
    const review = await pendingReviewOf(executionId);
    // fast-forward: the review and its wait are due now (the timeout job would fire in 72 s)
    await t.deps.database.db.execute(
      sql`update review_request set expires_at = now() where id = ${review.id}`,
    );
    const [row] = await dbRows<{ org: string }>(
      t,
      sql`select organization_id as org from review_request where id = ${review.id}`,
    );
    await expireWait(t.deps.engine, { orgId: row?.org as string, executionId, nodeId: "ask" });
    const done = await waitForExecution(owner, executionId);
    expect(stepOf(done, "late")?.status).toBe("succeeded");
    const late = await reviewer.client.trpcError("mutate", "reviews.decide", {
      reviewId: review.id,
      decision: "approved",
    });
    expect(late.status).toBe(409);
    expect(
      (await owner.query<{ status: string }>("reviews.get", { reviewId: review.id })).status,
    ).toBe("expired");
  });

  it("of 50 concurrent decisions exactly one wins; the others see the recorded decision", async () => {
    const { executionId } = await runFlow();
    const review = await pendingReviewOf(executionId);
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? reviewer : otherReviewer).client.mutate("reviews.decide", {
          reviewId: review.id,
          decision: i % 3 ? "approved" : "rejected",
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === "rejected")) {
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    }
    const done = await waitForExecution(owner, executionId);
    expect(done.status).toBe("succeeded");
  });
});

describe("who sees and decides which review", () => {
  it("routes to assignees and 'any reviewer'; a PARTICIPANT sees reviews of workflows they can view", async () => {
    const routed = await runFlow({ anyReviewer: false, assignees: [reviewer.memberId] });
    const review = await pendingReviewOf(routed.executionId);
    const seen = async (client: TestClient) =>
      (await client.query<{ items: Review[] }>("reviews.list")).items.map((r) => r.id);

    expect(await seen(reviewer.client)).toContain(review.id);
    expect(await seen(otherReviewer.client)).not.toContain(review.id);
    expect(
      (await otherReviewer.client.trpcError("query", "reviews.get", { reviewId: review.id }))
        .status,
    ).toBe(404);
    expect(
      (
        await otherReviewer.client.trpcError("mutate", "reviews.decide", {
          reviewId: review.id,
          decision: "approved",
        })
      ).status,
    ).toBe(404);

    expect(await seen(participant.client)).not.toContain(review.id);
    await owner.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: routed.workflowId,
      memberId: participant.memberId,
      level: "view",
    });
    expect(await seen(participant.client)).toContain(review.id);
    // sees it, but it is not routed to them: may not decide
    expect(
      (
        await participant.client.trpcError("mutate", "reviews.decide", {
          reviewId: review.id,
          decision: "approved",
        })
      ).status,
    ).toBe(403);

    await reviewer.client.mutate("reviews.decide", { reviewId: review.id, decision: "approved" });
  });

  it("a REVIEWER sees no workflow definitions, credentials or members", async () => {
    expect((await reviewer.client.trpcError("query", "workflows.list")).status).toBe(403);
    expect((await reviewer.client.trpcError("query", "credentials.list")).status).toBe(403);
    expect((await reviewer.client.trpcError("query", "members.list")).status).toBe(403);
  });

  it("another organization's review is 404", async () => {
    const { executionId } = await runFlow();
    const review = await pendingReviewOf(executionId);
    const foreign = (await orgOwner(t, "Foreign Review Org")).client;
    expect((await foreign.trpcError("query", "reviews.get", { reviewId: review.id })).status).toBe(
      404,
    );
    expect(
      (
        await foreign.trpcError("mutate", "reviews.decide", {
          reviewId: review.id,
          decision: "approved",
        })
      ).status,
    ).toBe(404);
  });

  it("assignees must be members of the organization", async () => {
    const error = await owner.trpcError("mutate", "reviews.request", {
      title: "x",
      assignees: ["not-a-member"],
    });
    expect(error.status).toBe(400);
    expect(error.error.message).toContain("assignees");
  });
});

describe("the instance's maximum review lifetime", () => {
  it("refuses a review meant to stay open longer than FLUXO_REVIEW_MAX_HOURS allows", async () => {
    const short = await startTestApp({ reviewMaxSeconds: 3600 });
    try {
      const admin = (await orgOwner(short, "Short Reviews")).client;
      const error = await admin.trpcError("mutate", "reviews.request", {
        title: "x",
        expiresInSeconds: 7200,
      });
      expect(error.status).toBe(400);
      expect(error.error.message).toContain("expiresInSeconds");
      await admin.mutate("reviews.request", { title: "x", expiresInSeconds: 1800 });
    } finally {
      await short.close();
    }
  });
});
