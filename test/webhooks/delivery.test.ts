import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deliverJobs } from "../../src/modules/webhooks/worker.ts";
import { stubResolver } from "../../src/net/testing.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { orgOwner } from "../helpers/users.ts";
import {
  answering,
  attemptsOf,
  createDelivery,
  createEndpoint,
  deliveryDeps,
  deliveryOf,
  loopbackOutbound,
  type Sink,
  startSink,
} from "./delivery-fixture.ts";

let t: TestApp;
let orgId: string;
const sinks: Sink[] = [];

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await orgOwner(t, "Webhook Org")).orgId;
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

const headersOf = (req: { headers: Record<string, unknown> }) =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));

describe("a delivery attempt", () => {
  it("is signed so that standardwebhooks verifies it, and a tampered body or timestamp is rejected", async () => {
    const sink = await receiver();
    const { deps } = deliveryDeps(t, { now: () => new Date() });
    const endpoint = await createEndpoint(t, orgId, `${sink.url}/hooks`);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    await deliverJobs(deps, [{ orgId, deliveryId }]);

    expect(sink.requests).toHaveLength(1);
    const [req] = sink.requests;
    if (!req) throw new Error("no request");
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/hooks");
    const headers = headersOf(req);
    expect(headers["webhook-id"]).toBe(deliveryId);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["user-agent"]).toBe("Fluxo-Webhooks/1");
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(1);

    const verifier = new Webhook(endpoint.secret);
    expect(verifier.verify(req.body, headers)).toMatchObject({ type: "review.approved" });
    expect(() => verifier.verify(req.body.replace("approved", "rejected"), headers)).toThrow();
    const shifted = {
      ...headers,
      "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1),
    };
    expect(() => verifier.verify(req.body, shifted)).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(req.body, headers),
    ).toThrow();

    const delivery = await deliveryOf(t, deliveryId);
    expect(delivery).toMatchObject({
      status: "succeeded",
      attempts: 1,
      lastResponseStatus: 200,
      nextAttemptAt: null,
    });
    const [attempt] = await attemptsOf(t, deliveryId);
    expect(attempt).toMatchObject({
      attempt: 1,
      trigger: "scheduled",
      url: `${sink.url}/hooks`,
      responseStatus: 200,
      responseBody: "{}",
      errorKind: null,
      nextAttemptAt: null,
    });
  });

  it("is signed with both secrets during a rotation's grace period, and only the new one after", async () => {
    const sink = await receiver();
    const clock = { now: new Date() };
    const { deps } = deliveryDeps(t, { now: () => clock.now });
    const oldSecret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    const endpoint = await createEndpoint(t, orgId, sink.url, {
      previousSecret: oldSecret,
      previousSecretExpiresAt: new Date(clock.now.getTime() + 60_000),
    });

    await deliverJobs(deps, [{ orgId, deliveryId: await createDelivery(t, orgId, endpoint.id) }]);
    const during = sink.requests[0];
    if (!during) throw new Error("no request");
    expect(headersOf(during)["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(during.body, headersOf(during))).toBeTruthy();
    expect(new Webhook(oldSecret).verify(during.body, headersOf(during))).toBeTruthy();

    clock.now = new Date(clock.now.getTime() + 61_000); // the grace period is over
    await deliverJobs(deps, [{ orgId, deliveryId: await createDelivery(t, orgId, endpoint.id) }]);
    const after = sink.requests[1];
    if (!after) throw new Error("no request");
    expect(headersOf(after)["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(new Webhook(endpoint.secret).verify(after.body, headersOf(after))).toBeTruthy();
    expect(() => new Webhook(oldSecret).verify(after.body, headersOf(after))).toThrow();
  });

  it("a 2xx with a body of megabytes is a success, its first 20,000 bytes kept", async () => {
    const sink = await receiver(
      answering(200, { "content-type": "text/plain" }, "y".repeat(3_000_000)),
    );
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    await deliverJobs(deps, [{ orgId, deliveryId }]);

    const [attempt] = await attemptsOf(t, deliveryId);
    expect(attempt?.responseStatus).toBe(200);
    expect(attempt?.errorKind).toBeNull();
    expect(attempt?.responseBody).toHaveLength(20_000);
  });

  it("keeps the first 20,000 bytes of the response body and the headers of interest", async () => {
    const big = "x".repeat(25_000);
    const sink = await receiver(
      answering(500, { "content-type": "text/plain", "x-secret-ish": "no" }, big),
    );
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    await deliverJobs(deps, [{ orgId, deliveryId }]);

    const [attempt] = await attemptsOf(t, deliveryId);
    expect(attempt?.responseStatus).toBe(500);
    expect(attempt?.responseBody).toHaveLength(20_000);
    expect(attempt?.responseHeaders["content-type"]).toBe("text/plain");
    expect(attempt?.responseHeaders).not.toHaveProperty("x-secret-ish");
  });

  it("never puts the secret or the signature in attempt rows or the log", async () => {
    const sink = await receiver(answering(500, {}, "nope"));
    const { deps } = deliveryDeps(t);
    const endpoint = await createEndpoint(t, orgId, sink.url);
    const deliveryId = await createDelivery(t, orgId, endpoint.id);

    await deliverJobs(deps, [{ orgId, deliveryId }]);

    const signature = String(sink.requests[0]?.headers["webhook-signature"]);
    const key = endpoint.secret.slice("whsec_".length);
    const stored = JSON.stringify([
      await attemptsOf(t, deliveryId),
      await deliveryOf(t, deliveryId),
    ]);
    const logged = t.logLines.join("");
    expect(logged).toContain(deliveryId); // the failed attempt was logged…
    for (const text of [stored, logged]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(signature.slice(3));
    }
  });
});

describe("the outbound guard", () => {
  it("refuses private and non-allowed destinations before any connection; the attempt records it as blocked", async () => {
    const sink = await receiver();
    const resolver = stubResolver({ "hooks.example.test": ["10.1.2.3"] });
    const outbound = loopbackOutbound({ allow: [], resolver });
    const { deps } = deliveryDeps(t, { outbound });
    for (const url of ["https://hooks.example.test/in", `${sink.url}/in`]) {
      const endpoint = await createEndpoint(t, orgId, url);
      const deliveryId = await createDelivery(t, orgId, endpoint.id);

      await deliverJobs(deps, [{ orgId, deliveryId }]);

      const [attempt] = await attemptsOf(t, deliveryId);
      expect(attempt).toMatchObject({ url, errorKind: "blocked", responseStatus: null });
      expect(attempt?.error).toContain("blocked");
      expect(await deliveryOf(t, deliveryId)).toMatchObject({ status: "pending", attempts: 1 });
    }
    expect(resolver.calls).toEqual(["hooks.example.test"]);
    expect(outbound.targets).toEqual([]);
    expect(sink.requests).toEqual([]);
  });

  it("records a refused connection and a timeout by kind", async () => {
    const silent = await receiver(() => {}); // never answers
    const closed = await receiver();
    const closedUrl = closed.url;
    await closed.close();
    sinks.splice(sinks.indexOf(closed), 1);
    const { deps } = deliveryDeps(t, { timeoutMs: 300 });
    const cases = [
      [closedUrl, "refused"],
      [silent.url, "timeout"],
    ] as const;
    for (const [url, kind] of cases) {
      const endpoint = await createEndpoint(t, orgId, url);
      const deliveryId = await createDelivery(t, orgId, endpoint.id);
      await deliverJobs(deps, [{ orgId, deliveryId }]);
      const [attempt] = await attemptsOf(t, deliveryId);
      expect(attempt?.errorKind, url).toBe(kind);
    }
  });
});
