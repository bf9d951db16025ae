import { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteDb, poolDb } from "../../src/jobs/adapters.ts";
import { createQueue, type JobQueue } from "../../src/jobs/queue.ts";
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_QUEUES } from "../../src/modules/webhooks/jobs.ts";
import { startWebhookWorker } from "../../src/modules/webhooks/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { orgOwner } from "../helpers/users.ts";
import {
  attemptsOf,
  createDelivery,
  createEndpoint,
  deliveryDeps,
  deliveryOf,
  type Sink,
  startSink,
} from "./delivery-fixture.ts";

let t: TestApp;
let orgId: string;
/** A second queue client that sweeps expired jobs every second (the app's sweeps every 10 s). */
let queue: JobQueue;
let sink: Sink;
const failFirst = new Set<string>();
let dead: PgBoss | undefined;

async function startWorker() {
  const { deps } = deliveryDeps(t, { now: undefined, queue });
  await startWebhookWorker(deps, queue, { batchSize: 10, concurrency: 1 });
}

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await orgOwner(t, "Worker Org")).orgId;
  sink = await startSink((req, res) => {
    const id = String(req.headers["webhook-id"]);
    res.writeHead(failFirst.delete(id) ? 500 : 200);
    res.end();
  });
  queue = await createQueue(t.deps.database, {
    onError: () => {},
    queues: WEBHOOK_QUEUES,
    expirySweepSeconds: 1,
  });
});
afterAll(async () => {
  await dead?.stop({ graceful: false });
  await queue.stop({ graceful: true, timeoutMs: 5_000 });
  await sink.close();
  await t.close();
});

async function settled(deliveryId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivery = await deliveryOf(t, deliveryId);
    if (delivery.status !== "pending") return delivery;
    if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} still pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** pg-boss straight on the test database, to play a worker that claims a job and dies. */
function rawBoss() {
  const { pglite, pool, kind } = t.deps.database;
  const db = pglite ? pgliteDb(pglite) : pool ? poolDb(pool) : undefined;
  if (!db) throw new Error("no raw driver");
  const boss = new PgBoss({
    db,
    backend: kind === "pglite" ? "pglite" : "postgres",
    schema: "pgboss",
  });
  boss.on("error", () => {});
  return boss;
}

describe("the delivery worker", () => {
  it("completes a delivery whose worker died holding the job, once the job expires", async () => {
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);
    await queue.send(
      WEBHOOK_DELIVER_QUEUE,
      { orgId, deliveryId },
      {
        expireInSeconds: 1,
        retryLimit: 3,
        retryDelay: 0,
      },
    );
    dead = rawBoss();
    await dead.start();
    const [claimed] = await dead.fetch<{ deliveryId: string }>(WEBHOOK_DELIVER_QUEUE);
    expect(claimed?.data.deliveryId).toBe(deliveryId);
    // …and never completes nor fails it. Only now does a live worker start.
    await startWorker();

    expect(await settled(deliveryId)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(sink.requests.filter((r) => r.headers["webhook-id"] === deliveryId)).toHaveLength(1);
  });

  it("delivers a queued delivery, retries it through a follow-up job, with the same webhook-id", async () => {
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);
    failFirst.add(deliveryId);

    await queue.send(WEBHOOK_DELIVER_QUEUE, { orgId, deliveryId });

    expect(await settled(deliveryId)).toMatchObject({ status: "succeeded", attempts: 2 });
    const mine = sink.requests.filter((r) => r.headers["webhook-id"] === deliveryId);
    expect(mine).toHaveLength(2);
    const last = mine[1];
    if (!last) throw new Error("no second request");
    const headers = Object.fromEntries(
      Object.entries(last.headers).map(([k, v]) => [k, String(v)]),
    );
    expect(new Webhook(endpoint.secret).verify(last.body, headers)).toBeTruthy();
    expect((await attemptsOf(t, deliveryId)).map((a) => [a.attempt, a.responseStatus])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });
});
