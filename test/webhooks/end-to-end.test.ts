import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { instanceDeliveryDeps, startWebhookWorker } from "../../src/modules/webhooks/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { orgOwner } from "../helpers/users.ts";
import { restCaller } from "../rest/harness.ts";
import { type Sink, type SinkRequest, startSink } from "./delivery-fixture.ts";

/**
 * The "done when", through public surfaces only: a program with an API key
 * subscribes an endpoint, decides a review, and the receiver gets a delivery that an
 * independent Standard Webhooks library verifies; the attempt is then visible in the API.
 */
let t: TestApp;
let sink: Sink;

beforeAll(async () => {
  sink = await startSink((_req, res) => res.end("thanks"));
  // the receiver is on loopback: allowed explicitly, as an operator would for a local receiver
  const port = new URL(sink.url).port;
  t = await startTestApp({ outboundAllow: parseAllowlist(`127.0.0.1:${port}`) });
  await startWebhookWorker(instanceDeliveryDeps(t.deps), t.deps.queue);
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

async function received(type: string, timeoutMs = 20_000): Promise<SinkRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = sink.requests.find((r) => JSON.parse(r.body).type === type);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${type} delivery arrived`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("a decision through the API reaches a subscribed endpoint, signed and verifiable", async () => {
  const { client } = await orgOwner(t, "E2E Org");
  const { key } = await createApiKey(t, client, {
    scopes: ["reviews:write", "reviews:approve", "webhooks:write"],
  });
  const api = restCaller(t, key);
  const endpoint = await api.post<{ id: string; secret: string }>("/webhooks", {
    url: `${sink.url}/fluxo`,
    event_types: ["review.approved"],
  });
  expect(endpoint.status).toBe(201);
  const review = await api.post<{ id: string }>("/reviews", { title: "Release 2.0?" });
  expect((await api.post(`/reviews/${review.body.id}/approve`, { comment: "ship" })).status).toBe(
    200,
  );

  const delivery = await received("review.approved");
  const headers = delivery.headers as Record<string, string>;
  const verified = new Webhook(endpoint.body.secret).verify(delivery.body, headers) as {
    data: { review_id: string };
  };
  expect(verified.data.review_id).toBe(review.body.id);
  expect(() =>
    new Webhook(endpoint.body.secret).verify(
      delivery.body.replace("review.approved", "review.rejected"),
      headers,
    ),
  ).toThrow();

  const listed = await api.get<{ data: { id: string; status: string }[] }>(
    `/webhooks/${endpoint.body.id}/deliveries`,
  );
  const deliveryId = headers["webhook-id"];
  expect(listed.body.data.map((d) => d.id)).toContain(deliveryId);
  // the worker records the attempt once the receiver has answered: wait for that record
  const deadline = Date.now() + 10_000;
  const detailOf = () =>
    api.get<{ status: string; attempt_history: { response_status: number }[] }>(
      `/webhooks/${endpoint.body.id}/deliveries/${deliveryId}`,
    );
  let detail = await detailOf();
  while (detail.body.status === "pending" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    detail = await detailOf();
  }
  expect(detail.body.status).toBe("succeeded");
  expect(detail.body.attempt_history.map((a) => a.response_status)).toEqual([200]);
});
