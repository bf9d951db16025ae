import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnqueueOptions, JobQueue } from "../../src/jobs/queue.ts";
import { expireReview, REVIEW_EXPIRE_QUEUE } from "../../src/modules/reviews/expiry.ts";
import { queueEnqueue } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { createEndpoint, deliveriesOf } from "../webhooks/endpoints-harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let endpointId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Expiry Org"));
  endpointId = (await createEndpoint(owner, { eventTypes: ["review.expired"] })).id;
});
afterAll(() => t.close());

const request = (title: string) =>
  owner.mutate<{ id: string; expiresAt: string }>("reviews.request", {
    title,
    anyReviewer: true,
    expiresInSeconds: 3600,
  });

const pastDue = (reviewId: string) =>
  dbRows(
    t,
    sql`update review_request set expires_at = now() - interval '1 second' where id = ${reviewId}`,
  );

const expiredActivity = (reviewId: string) =>
  dbRows(
    t,
    sql`select kind from review_activity where review_id = ${reviewId} and kind = 'expired'`,
  );

const job = (reviewId: string) => ({ orgId, reviewId });
const deps = () => ({ db: t.deps.database.db, webhooks: t.deps.queue });

describe("a standalone review expires on its own", () => {
  it("creating it schedules its expiry job for the moment it expires", async () => {
    const review = await request("Scheduled");
    const [queued] = await dbRows<{ start_after: Date | string; data: { reviewId: string } }>(
      t,
      sql`select start_after, data from pgboss.job
          where name = ${REVIEW_EXPIRE_QUEUE} and data->>'reviewId' = ${review.id}`,
    );
    expect(queued?.data).toEqual(job(review.id));
    expect(new Date(queued?.start_after ?? 0).getTime()).toBe(new Date(review.expiresAt).getTime());
  });

  it("a worker that dies running the expiry job hands it on within a minute, not pg-boss's 15", async () => {
    const review = await request("Crash-proof");
    const [queued] = await dbRows<{ expire_seconds: number; retry_delay: number }>(
      t,
      sql`select expire_seconds, retry_delay from pgboss.job
          where name = ${REVIEW_EXPIRE_QUEUE} and data->>'reviewId' = ${review.id}`,
    );
    expect(Number(queued?.expire_seconds)).toBeLessThanOrEqual(30);
    expect(Number(queued?.retry_delay)).toBeLessThanOrEqual(5);
  });

  it("a review node's expiry (its wait's timeout job) is handed on as quickly when its worker dies", async () => {
    const sent: { name: string; options?: EnqueueOptions }[] = [];
    const queue = {
      send: async (name: string, _data: object, options?: EnqueueOptions) => {
        sent.push({ name, options });
        return null;
      },
    } as unknown as JobQueue;
    const data = { orgId, executionId: "x", nodeId: "review" };
    await queueEnqueue(queue)({ name: "execution.wait-timeout", data }, { startAfterSeconds: 60 });
    expect(sent[0]?.name).toBe("execution.wait-timeout");
    expect(sent[0]?.options?.expireInSeconds).toBeLessThanOrEqual(30);
    expect(sent[0]?.options?.retryDelay).toBeLessThanOrEqual(5);
  });

  it("once due: one expired activity, one audit event, one review.expired delivery — however often the job runs", async () => {
    const review = await request("Nobody answered");
    await pastDue(review.id);
    expect(await expireReview(deps(), job(review.id))).toBe(true);
    expect(await expireReview(deps(), job(review.id))).toBe(false);
    expect(await expiredActivity(review.id)).toHaveLength(1);
    const audits = await dbRows(
      t,
      sql`select actor_kind from audit_event where action = 'review.expired' and target_id = ${review.id}`,
    );
    expect(audits).toEqual([{ actor_kind: "system" }]);
    const deliveries = (await deliveriesOf(t, endpointId)).filter(
      (d) => d.payload.data.review_id === review.id,
    );
    expect(deliveries.map((d) => d.event_type)).toEqual(["review.expired"]);
    const shown = await owner.query<{ status: string }>("reviews.get", { reviewId: review.id });
    expect(shown.status).toBe("expired");
  });

  it("a job that runs early, or after a decision, changes nothing", async () => {
    const early = await request("Not yet due");
    expect(await expireReview(deps(), job(early.id))).toBe(false);
    const decided = await request("Decided in time");
    await owner.mutate("reviews.decide", { reviewId: decided.id, decision: "approved" });
    await pastDue(decided.id);
    expect(await expireReview(deps(), job(decided.id))).toBe(false);
    expect(await expiredActivity(early.id)).toEqual([]);
    expect(await expiredActivity(decided.id)).toEqual([]);
  });
});
