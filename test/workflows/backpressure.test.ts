import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execution } from "../../src/db/schema/index.ts";
import { BACKLOG_RETRY_AFTER_SECONDS } from "../../src/modules/workflows/backlog.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { workflowWith } from "./harness.ts";

// No worker runs in tests (inProcessWorker: false), so every accepted trigger stays queued.
const MAX = 6;
const PER_ORG = 4;

let t: TestApp;
let ownerA: TestClient;
let ownerB: TestClient;
let hookA: string;
let hookB: string;
beforeAll(async () => {
  t = await startTestApp({ backlog: { max: MAX, perOrg: PER_ORG } });
  ownerA = (await orgOwner(t, "Backlog A")).client;
  ownerB = (await orgOwner(t, "Backlog B")).client;
  const webhookFlow = { nodes: [{ id: "hook", type: "webhook_trigger" }] };
  const a = await workflowWith(ownerA, webhookFlow);
  const b = await workflowWith(ownerB, webhookFlow);
  hookA = `/hooks/${a.id}/${a.webhookSecret}`;
  hookB = `/hooks/${b.id}/${b.webhookSecret}`;
});
afterAll(() => t.close());

const fire = (path: string) => t.client().post(path, { n: 1 });

async function expectRefused(path: string, status: number, code: string) {
  const res = await fire(path);
  expect(res.status).toBe(status);
  expect(res.headers.get("retry-after")).toBe(String(BACKLOG_RETRY_AFTER_SECONDS));
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/waiting to start/);
}

it("below its share an organization's webhooks are queued; past it they get 429 with Retry-After", async () => {
  for (let i = 0; i < PER_ORG; i++) expect((await fire(hookA)).status).toBe(202);
  await expectRefused(hookA, 429, "TOO_MANY_REQUESTS");
});

it("another organization is not held back by the first one's share", async () => {
  expect((await fire(hookB)).status).toBe(202);
});

it("a manual run is refused like a webhook, as TOO_MANY_REQUESTS with Retry-After", async () => {
  const wf = await workflowWith(ownerA, { nodes: [{ id: "start", type: "manual_trigger" }] });
  const res = await ownerA.post("/trpc/workflows.run", { workflowId: wf.id, payload: {} });
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe(String(BACKLOG_RETRY_AFTER_SECONDS));
  const body = (await res.json()) as { error: { data: { code: string } } };
  expect(body.error.data.code).toBe("TOO_MANY_REQUESTS");
});

it("once the instance's backlog is full every organization gets 503 with Retry-After", async () => {
  // A holds 4, B 1: one more of B's fills the instance bound of 6.
  expect((await fire(hookB)).status).toBe(202);
  await expectRefused(hookB, 503, "UNAVAILABLE");
  await expectRefused(hookA, 503, "UNAVAILABLE");
  expect(await t.deps.database.db.$count(execution, eq(execution.status, "queued"))).toBe(MAX);
});

it("as the backlog drains, triggers are accepted again", async () => {
  const { items } = await ownerB.query<{ items: { id: string }[] }>("executions.list", {});
  await ownerB.mutate("executions.cancel", { executionId: items[0]?.id });
  // the gate reads the backlog at most once a second
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect((await fire(hookB)).status).toBe(202);
  await expectRefused(hookB, 503, "UNAVAILABLE");
});
