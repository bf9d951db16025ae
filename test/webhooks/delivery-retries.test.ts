import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RETRY_DELAYS_MS } from "../../src/modules/webhooks/schedule.ts";
import { deliverJobs } from "../../src/modules/webhooks/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import {
  answering,
  attemptsOf,
  createDelivery,
  createEndpoint,
  deliveryDeps,
  deliveryOf,
  endpointOf,
  queuedJobsOf,
  type Sink,
  startSink,
} from "./delivery-fixture.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
const sinks: Sink[] = [];

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Retry Org"));
});
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
afterAll(() => t.close());

async function receiver(respond?: Parameters<typeof startSink>[0]) {
  const sink = await startSink(respond);
  sinks.push(sink);
  return sink;
}

const HOUR = 3_600_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe("retries", () => {
  it("follow the schedule, one queued job per attempt, and end failed after the eighth", async () => {
    const sink = await receiver(answering(500));
    const { deps, clock } = deliveryDeps(t);
    const start = clock.now;
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    let expected = start;
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      expected = at(expected, RETRY_DELAYS_MS[attempt - 1] ?? 0);
      clock.now = expected;
      await deliverJobs(deps, [{ orgId, deliveryId, ...(attempt > 1 ? { attempt } : {}) }]);
      const delivery = await deliveryOf(t, deliveryId);
      expect(delivery.attempts).toBe(attempt);
      if (attempt < RETRY_DELAYS_MS.length) {
        const next = at(expected, RETRY_DELAYS_MS[attempt] ?? 0);
        expect(delivery).toMatchObject({ status: "pending", nextAttemptAt: next });
        const jobs = await queuedJobsOf(t, deliveryId);
        expect(jobs.at(-1)?.data.attempt).toBe(attempt + 1);
        expect(jobs.at(-1)?.start_ms).toBe(next.getTime());
      }
    }
    expect(sink.requests).toHaveLength(8);
    const delivery = await deliveryOf(t, deliveryId);
    expect(delivery).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
      lastResponseStatus: 500,
    });
    const attempts = await attemptsOf(t, deliveryId);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const gaps = attempts
      .slice(1)
      .map((a, i) => a.requestedAt.getTime() - (attempts[i]?.requestedAt.getTime() ?? 0));
    expect(gaps).toEqual([5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(attempts.at(-1)?.nextAttemptAt).toBeNull();
    // seven follow-ups were queued (the first job came from the event), none after the last
    expect(await queuedJobsOf(t, deliveryId)).toHaveLength(7);
    // the follow-ups expire soon after the HTTP timeout, so a dead worker's job comes back
    expect((await queuedJobsOf(t, deliveryId))[0]?.expire_seconds).toBe(12);
  });

  it("apply up to ±10 % jitter to the schedule", async () => {
    const sink = await receiver(answering(500));
    const { deps, clock } = deliveryDeps(t, { random: () => 1 });
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);
    await deliverJobs(deps, [{ orgId, deliveryId }]);
    expect((await deliveryOf(t, deliveryId)).nextAttemptAt).toEqual(at(clock.now, 5_500));
  });

  it("honour Retry-After (seconds or HTTP date) on 429 and 503, capped at 10 hours, and not on 500", async () => {
    const { deps, clock } = deliveryDeps(t);
    clock.now = new Date(Math.floor(Date.now() / 1000) * 1000); // HTTP dates have whole seconds
    const cases: [number, string, number][] = [
      [429, "120", 120_000],
      [503, new Date(clock.now.getTime() + 3 * HOUR).toUTCString(), 3 * HOUR],
      [429, String(3 * 24 * 3600), 10 * HOUR],
      [500, "120", 5_000],
    ];
    for (const [status, retryAfter, delay] of cases) {
      const sink = await receiver(answering(status, { "retry-after": retryAfter }));
      const endpoint = await createEndpoint(t, orgId, sink.url);
      const deliveryId = await createDelivery(t, orgId, endpoint.id);
      await deliverJobs(deps, [{ orgId, deliveryId }]);
      const delivery = await deliveryOf(t, deliveryId);
      expect(delivery.nextAttemptAt, `${status} Retry-After: ${retryAfter}`).toEqual(
        at(clock.now, delay),
      );
      const [attempt] = await attemptsOf(t, deliveryId);
      expect(attempt?.responseHeaders["retry-after"]).toBe(retryAfter);
    }
  });
});

describe("running a job twice (its worker died after sending)", () => {
  it("sends again but records and schedules only once", async () => {
    const sink = await receiver(answering(500));
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    // the expired job handed out again while the first run is still in flight
    await Promise.all([
      deliverJobs(deps, [{ orgId, deliveryId }]),
      deliverJobs(deps, [{ orgId, deliveryId }]),
    ]);
    // and once more after both finished
    await deliverJobs(deps, [{ orgId, deliveryId }]);

    expect(sink.requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sink.requests.map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([deliveryId]),
    );
    expect(await attemptsOf(t, deliveryId)).toHaveLength(1);
    expect(await queuedJobsOf(t, deliveryId)).toHaveLength(1);
    expect((await deliveryOf(t, deliveryId)).attempts).toBe(1);
  });

  it("does nothing for a delivery that already succeeded", async () => {
    const sink = await receiver();
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);
    await deliverJobs(deps, [{ orgId, deliveryId }]);
    await deliverJobs(deps, [{ orgId, deliveryId }]);
    expect(sink.requests).toHaveLength(1);
    expect(await attemptsOf(t, deliveryId)).toHaveLength(1);
  });
});

describe("disabling endpoints", () => {
  it("410 Gone disables the endpoint (system audit) and fails the delivery; later deliveries are not sent", async () => {
    const sink = await receiver(answering(410));
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    await deliverJobs(deps, [{ orgId, deliveryId }]);

    expect(await deliveryOf(t, deliveryId)).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
    });
    expect(await queuedJobsOf(t, deliveryId)).toHaveLength(0);
    const row = await endpointOf(t, orgId, endpoint.id);
    expect(row).toMatchObject({ enabled: false, disabledReason: "The endpoint answered 410 Gone" });
    expect(row.disabledAt).not.toBeNull();
    const audit = (await auditEvents(owner)).filter((e) => e.targetId === endpoint.id);
    expect(audit).toMatchObject([{ action: "webhook.disabled", actorKind: "system" }]);

    const later = await createDelivery(t, orgId, endpoint.id);
    await deliverJobs(deps, [{ orgId, deliveryId: later }]);
    expect(sink.requests).toHaveLength(1);
    expect(await deliveryOf(t, later)).toMatchObject({ status: "failed" });
    expect(await attemptsOf(t, later)).toMatchObject([
      { errorKind: "endpoint_disabled", responseStatus: null, durationMs: 0 },
    ]);
  });

  it("an endpoint failing for 5 days is disabled on its next failure, with a system audit event", async () => {
    const sink = await receiver(answering(500));
    const { deps, clock } = deliveryDeps(t);
    const fiveDays = 5 * 24 * HOUR;
    const young = await createEndpoint(t, orgId, sink.url, {
      failingSince: at(clock.now, -fiveDays + HOUR),
    });
    const old = await createEndpoint(t, orgId, sink.url, {
      failingSince: at(clock.now, -fiveDays - HOUR),
    });
    const youngDelivery = await createDelivery(t, orgId, young.id);
    const oldDelivery = await createDelivery(t, orgId, old.id);

    await deliverJobs(deps, [
      { orgId, deliveryId: youngDelivery },
      { orgId, deliveryId: oldDelivery },
    ]);

    expect(await endpointOf(t, orgId, young.id)).toMatchObject({ enabled: true });
    expect(await deliveryOf(t, youngDelivery)).toMatchObject({ status: "pending" });
    expect(await endpointOf(t, orgId, old.id)).toMatchObject({
      enabled: false,
      disabledReason: "Every attempt failed for 5 days",
    });
    expect(await deliveryOf(t, oldDelivery)).toMatchObject({ status: "failed" });
    const audit = (await auditEvents(owner)).filter((e) => e.action === "webhook.disabled");
    expect(audit.filter((e) => e.targetId === old.id)).toHaveLength(1);
    expect(audit.filter((e) => e.targetId === young.id)).toHaveLength(0);
  });

  it("a failure starts the failing run and a success ends it", async () => {
    let status = 500;
    const sink = await receiver((_req, res) => {
      res.writeHead(status);
      res.end();
    });
    const { deps, clock } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    await deliverJobs(deps, [{ orgId, deliveryId: await createDelivery(t, orgId, endpoint.id) }]);
    expect((await endpointOf(t, orgId, endpoint.id)).failingSince).toEqual(clock.now);
    status = 204;
    await deliverJobs(deps, [{ orgId, deliveryId: await createDelivery(t, orgId, endpoint.id) }]);
    expect((await endpointOf(t, orgId, endpoint.id)).failingSince).toBeNull();
  });
});
