import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../src/db/tenant.ts";
import { decidePublicReview, viewPublicReview } from "../../src/modules/reviews/public.ts";
import { emitWebhookEvent } from "../../src/modules/webhooks/events.ts";
import { expireWait } from "../../src/modules/workflows/engine/events.ts";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { pausedReview } from "../reviews/links-harness.ts";
import { waitForExecution } from "../workflows/harness.ts";
import {
  createEndpoint,
  type DeliveryRow,
  deliveriesOf,
  deliverJobs,
} from "./endpoints-harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let other: TestClient;
/** created + approved / rejected / everything but disabled / link and expiry. */
let decisions: string;
let rejections: string;
let disabled: string;
let otherOrgs: string;
let linksAndExpiry: string;

const ALL = ["review.created", "review.approved", "review.rejected", "review.expired"];

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  ({ client: owner, orgId } = await orgOwner(t, "Events Org"));
  other = (await orgOwner(t, "Other Org")).client;
  decisions = (await createEndpoint(owner, { eventTypes: ["review.created", "review.approved"] }))
    .id;
  rejections = (await createEndpoint(owner, { eventTypes: ["review.rejected"] })).id;
  disabled = (await createEndpoint(owner, { eventTypes: ALL })).id;
  await owner.mutate("webhooks.update", { endpointId: disabled, enabled: false });
  otherOrgs = (await createEndpoint(other, { eventTypes: ALL })).id;
  linksAndExpiry = (
    await createEndpoint(owner, { eventTypes: ["review.link_used", "review.expired"] })
  ).id;
});
afterAll(() => t.close());

const requestReview = () =>
  owner.mutate<{ id: string }>("reviews.request", {
    title: "Ship it?",
    body: "",
    assignees: [],
    anyReviewer: true,
    expiresInSeconds: 3600,
  });

const forReview = (rows: DeliveryRow[], reviewId: string) =>
  rows.filter((r) => r.payload.data.review_id === reviewId);

describe("review events become deliveries in the same transaction", () => {
  it("creating a review delivers review.created to the subscribed, enabled endpoints of its org only", async () => {
    const review = await requestReview();
    const [created, ...more] = forReview(await deliveriesOf(t, decisions), review.id);
    expect(more).toEqual([]);
    expect(created).toMatchObject({ event_type: "review.created", status: "pending" });
    expect(created?.payload).toMatchObject({
      type: "review.created",
      data: { review_id: review.id, title: "Ship it?" },
    });
    for (const endpoint of [rejections, disabled, otherOrgs, linksAndExpiry]) {
      expect(forReview(await deliveriesOf(t, endpoint), review.id), endpoint).toEqual([]);
    }
    expect(await deliverJobs(t)).toContainEqual({ orgId, deliveryId: created?.id });
  });

  it("approving and rejecting reach the endpoints subscribed to each decision", async () => {
    const approved = await requestReview();
    const rejected = await requestReview();
    await owner.mutate("reviews.decide", { reviewId: approved.id, decision: "approved" });
    await owner.mutate("reviews.decide", { reviewId: rejected.id, decision: "rejected" });

    const toDecisions = await deliveriesOf(t, decisions);
    expect(forReview(toDecisions, approved.id).map((d) => d.event_type)).toEqual([
      "review.created",
      "review.approved",
    ]);
    expect(forReview(toDecisions, rejected.id).map((d) => d.event_type)).toEqual([
      "review.created",
    ]);
    const [rejection, ...more] = forReview(await deliveriesOf(t, rejections), rejected.id);
    expect(more).toEqual([]);
    expect(rejection?.payload.data).toMatchObject({
      review_id: rejected.id,
      decision: "rejected",
      channel: "app",
    });
    expect(forReview(await deliveriesOf(t, disabled), approved.id)).toEqual([]);
    const jobs = await deliverJobs(t);
    expect(jobs).toContainEqual({ orgId, deliveryId: rejection?.id });
  });

  it("a decision that fails (already decided) leaves no delivery behind", async () => {
    const review = await requestReview();
    await owner.mutate("reviews.decide", { reviewId: review.id, decision: "approved" });
    const again = await owner.trpcError("mutate", "reviews.decide", {
      reviewId: review.id,
      decision: "rejected",
    });
    expect(again.status).toBe(409);
    expect(forReview(await deliveriesOf(t, rejections), review.id)).toEqual([]);
  });

  it("an event in a transaction that rolls back leaves neither delivery nor job", async () => {
    const jobsBefore = (await deliverJobs(t)).length;
    const before = (await deliveriesOf(t, decisions)).length;
    let emitted: string[] = [];
    await expect(
      withTenant(t.deps.database.db, orgId, async (tx) => {
        emitted = await emitWebhookEvent(tx, t.deps.queue, {
          orgId,
          type: "review.created",
          data: { review_id: "phantom" },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(emitted).toHaveLength(1); // it was emitted inside, then rolled back with the change
    expect(await deliveriesOf(t, decisions)).toHaveLength(before);
    expect(await deliverJobs(t)).toHaveLength(jobsBefore);
  });

  it("a decision through a public link also emits review.link_used", async () => {
    const paused = await pausedReview(t, owner);
    const link = await owner.mutate<{ url: string }>("reviews.createLink", {
      reviewId: paused.reviewId,
    });
    const token = new URL(link.url).pathname.split("/").pop() as string;
    const meta = { requestId: "test", ip: "10.0.0.9", userAgent: "test" };
    const page = await viewPublicReview(t.deps.database.db, "link", token, meta);
    if ("refused" in page) throw new Error(`refused: ${page.refused}`);
    const outcome = await decidePublicReview(
      t.deps.engine,
      "link",
      token,
      {
        session: page.session.token,
        csrf: page.session.csrf,
        fields: { decision: "approved", name: "Pat" },
      },
      meta,
    );
    expect(outcome).toEqual({ decided: "approved" });
    const [used, ...more] = forReview(await deliveriesOf(t, linksAndExpiry), paused.reviewId);
    expect(more).toEqual([]);
    expect(used?.payload).toMatchObject({
      type: "review.link_used",
      data: { review_id: paused.reviewId, link_kind: "link", decision: "approved" },
    });
    expect(
      forReview(await deliveriesOf(t, decisions), paused.reviewId).map((d) => d.event_type),
    ).toEqual(["review.created", "review.approved"]);
  });

  it("a review node's review that nobody decides in time emits review.expired, once", async () => {
    const paused = await pausedReview(t, owner);
    await t.deps.database.db.execute(
      sql`update review_request set expires_at = now() where id = ${paused.reviewId}`,
    );
    const at = { orgId, executionId: paused.executionId, nodeId: "ask" };
    await expireWait(t.deps.engine, at);
    await expireWait(t.deps.engine, at); // a redelivered timeout job changes nothing
    await waitForExecution(owner, paused.executionId);
    const [expired, ...more] = forReview(await deliveriesOf(t, linksAndExpiry), paused.reviewId);
    expect(more).toEqual([]);
    expect(expired?.payload).toMatchObject({
      type: "review.expired",
      data: { review_id: paused.reviewId, execution_id: paused.executionId },
    });
    const [org] = await dbRows<{ n: number | string }>(
      t,
      sql`select count(*)::int as n from webhook_delivery where organization_id <> ${orgId}
          and payload->'data'->>'review_id' = ${paused.reviewId}`,
    );
    expect(Number(org?.n)).toBe(0);
    // the same record as a standalone review's expiry: one activity, one audit event
    const recorded = await dbRows<{ what: string }>(
      t,
      sql`select 'activity' as what from review_activity
          where review_id = ${paused.reviewId} and kind = 'expired'
          union all
          select 'audit:' || actor_kind from audit_event
          where target_id = ${paused.reviewId} and action = 'review.expired'`,
    );
    expect(recorded.map((r) => r.what).sort()).toEqual(["activity", "audit:system"]);
  });
});
