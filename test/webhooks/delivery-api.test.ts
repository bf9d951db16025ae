import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverJobs } from "../../src/modules/webhooks/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { type RestCaller, restCaller } from "../rest/harness.ts";
import {
  createDelivery,
  createEndpoint,
  deliveryDeps,
  deliveryOf,
  queuedJobsOf,
  type Sink,
  startSink,
} from "./delivery-fixture.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let reader: RestCaller;
let writer: RestCaller;
let stranger: RestCaller;
let sink: Sink;
let answer = 500;

interface Attempt {
  attempt: number;
  trigger: string;
  response_status: number | null;
  next_attempt_at: string | null;
}
interface Delivery {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
}
interface Detail extends Delivery {
  payload: { type: string };
  attempt_history: Attempt[];
}

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1") });
  ({ client: owner, orgId } = await orgOwner(t, "Delivery API Org"));
  reader = restCaller(t, (await createApiKey(t, owner, { scopes: ["webhooks:read"] })).key);
  writer = restCaller(t, (await createApiKey(t, owner, { scopes: ["webhooks:write"] })).key);
  const other = (await orgOwner(t, "Elsewhere")).client;
  stranger = restCaller(t, (await createApiKey(t, other, { scopes: ["webhooks:write"] })).key);
  sink = await startSink((_req, res) => {
    res.writeHead(answer);
    res.end();
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

/** An endpoint with `count` deliveries, each after one failed scheduled attempt. */
async function failedOnce(count: number) {
  answer = 500;
  const endpoint = await createEndpoint(t, orgId, sink.url);
  const ids: string[] = [];
  // a second apart: "newest first" is then one order, however loaded the machine is
  const start = Date.now() - count * 1000;
  for (let i = 0; i < count; i++)
    ids.push(await createDelivery(t, orgId, endpoint.id, new Date(start + i * 1000)));
  const { deps } = deliveryDeps(t, { now: undefined });
  await deliverJobs(
    deps,
    ids.map((deliveryId) => ({ orgId, deliveryId })),
  );
  return { endpointId: endpoint.id, ids };
}

describe("GET /api/v1/webhooks/{id}/deliveries", () => {
  it("lists an endpoint's deliveries newest first, by status, page by page", async () => {
    const { endpointId, ids } = await failedOnce(3);
    answer = 200;
    await writer.post(`/webhooks/${endpointId}/deliveries/${ids[0]}/redeliver`);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await reader.get<{ data: Delivery[]; next_cursor: string | null }>(
        `/webhooks/${endpointId}/deliveries?limit=2${query}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((d) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const pending = await reader.get<{ data: Delivery[] }>(
      `/webhooks/${endpointId}/deliveries?status=pending`,
    );
    expect(pending.body.data.map((d) => d.id).sort()).toEqual([ids[1], ids[2]].sort());
    const succeeded = await reader.get<{ data: Delivery[] }>(
      `/webhooks/${endpointId}/deliveries?status=succeeded`,
    );
    expect(succeeded.body.data.map((d) => d.id)).toEqual([ids[0]]);
  });

  it("names the field of bad input and answers 404 for an unknown endpoint", async () => {
    const { endpointId } = await failedOnce(0);
    const bad = await reader.get<{ error: { details: { field: string } } }>(
      `/webhooks/${endpointId}/deliveries?status=lost`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe("status");
    const forged = await reader.get(`/webhooks/${endpointId}/deliveries?cursor=abc`);
    expect(forged.status).toBe(400);
    expect((await reader.get("/webhooks/nope/deliveries")).status).toBe(404);
  });
});

describe("GET /api/v1/webhooks/{id}/deliveries/{delivery_id}", () => {
  it("shows the payload and every attempt", async () => {
    const { endpointId, ids } = await failedOnce(1);
    const detail = await reader.get<Detail>(`/webhooks/${endpointId}/deliveries/${ids[0]}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: ids[0], status: "pending", attempts: 1 });
    expect(detail.body.payload.type).toBe("review.approved");
    expect(detail.body.attempt_history).toMatchObject([
      { attempt: 1, trigger: "scheduled", response_status: 500 },
    ]);
    expect(detail.body.attempt_history[0]?.next_attempt_at).toBe(detail.body.next_attempt_at);
  });
});

describe("POST …/deliveries/{delivery_id}/redeliver", () => {
  it("sends again with the same webhook-id as a manual attempt, leaving the schedule alone on failure", async () => {
    const { endpointId, ids } = await failedOnce(1);
    const deliveryId = ids[0] as string;
    const before = await deliveryOf(t, deliveryId);
    const requestsBefore = sink.requests.length;

    const sent = await writer.post<Attempt>(
      `/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`,
    );

    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      attempt: 2,
      trigger: "manual",
      response_status: 500,
      next_attempt_at: null,
    });
    expect(sink.requests.slice(requestsBefore).map((r) => r.headers["webhook-id"])).toEqual([
      deliveryId,
    ]);
    const after = await deliveryOf(t, deliveryId);
    expect(after).toMatchObject({
      status: "pending",
      attempts: 2,
      nextAttemptAt: before.nextAttemptAt,
    });
    expect(await queuedJobsOf(t, deliveryId)).toHaveLength(1); // still only the scheduled follow-up
    const audit = (await auditEvents(owner)).filter((e) => e.action === "webhook.redelivered");
    expect(audit.filter((e) => e.targetId === deliveryId)).toMatchObject([{ actorKind: "apiKey" }]);
  });

  it("a manual success delivers it, and the scheduled follow-up then does nothing", async () => {
    const { endpointId, ids } = await failedOnce(1);
    const deliveryId = ids[0] as string;
    answer = 204;
    const sent = await writer.post<Attempt>(
      `/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`,
    );
    expect(sent.body).toMatchObject({ trigger: "manual", response_status: 204 });
    expect(await deliveryOf(t, deliveryId)).toMatchObject({
      status: "succeeded",
      nextAttemptAt: null,
    });

    const count = sink.requests.length;
    const { deps } = deliveryDeps(t, { now: undefined });
    await deliverJobs(deps, [{ orgId, deliveryId, attempt: 2 }]);
    expect(sink.requests).toHaveLength(count);
  });

  it("is allowed for failed deliveries, refused (409) on a disabled endpoint", async () => {
    answer = 200;
    const disabled = await createEndpoint(t, orgId, sink.url, { enabled: false });
    const deliveryId = await createDelivery(t, orgId, disabled.id);
    const refused = await writer.post(
      `/webhooks/${disabled.id}/deliveries/${deliveryId}/redeliver`,
    );
    expect(refused.status).toBe(409);
  });

  it("needs webhooks:write; another organization's key gets 404 everywhere", async () => {
    const { endpointId, ids } = await failedOnce(1);
    const path = `/webhooks/${endpointId}/deliveries/${ids[0]}`;
    const denied = await reader.post<{ error: { details: { missing_scope: string } } }>(
      `${path}/redeliver`,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.missing_scope).toBe("webhooks:write");

    expect((await stranger.get(`/webhooks/${endpointId}/deliveries`)).status).toBe(404);
    expect((await stranger.get(path)).status).toBe(404);
    expect((await stranger.post(`${path}/redeliver`)).status).toBe(404);
    const other = await failedOnce(0);
    expect((await reader.get(`/webhooks/${other.endpointId}/deliveries/${ids[0]}`)).status).toBe(
      404,
    );
  });
});

describe("tRPC webhookDeliveries", () => {
  it("gives OWNERs the same views and redelivery; PARTICIPANTs may not see deliveries", async () => {
    const { endpointId, ids } = await failedOnce(1);
    const deliveryId = ids[0] as string;
    const page = await owner.query<{ items: { id: string }[]; nextCursor: string | null }>(
      "webhookDeliveries.list",
      { endpointId },
    );
    expect(page.items.map((d) => d.id)).toEqual([deliveryId]);
    expect(page.nextCursor).toBeNull();
    answer = 200;
    const attempt = await owner.mutate<Attempt>("webhookDeliveries.redeliver", {
      endpointId,
      deliveryId,
    });
    expect(attempt).toMatchObject({ trigger: "manual", responseStatus: 200 });
    const detail = await owner.query<{ status: string; history: unknown[] }>(
      "webhookDeliveries.get",
      {
        endpointId,
        deliveryId,
      },
    );
    expect(detail).toMatchObject({ status: "succeeded" });
    expect(detail.history).toHaveLength(2);

    const participant = (await addMember(t, owner, "PARTICIPANT")).client;
    const refused = await participant.trpcError("query", "webhookDeliveries.list", { endpointId });
    expect(refused.status).toBe(403);
  });
});
