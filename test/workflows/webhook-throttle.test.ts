import { afterAll, beforeAll, expect, it } from "vitest";
import { BAD_WEBHOOK_SECRETS_PER_MINUTE } from "../../src/server/hooks.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { workflowWith } from "./harness.ts";

const PER_WORKFLOW = 5;

let t: TestApp;
let owner: TestClient;
beforeAll(async () => {
  t = await startTestApp({ webhookRatePerMinute: PER_WORKFLOW });
  owner = (await orgOwner(t, "Webhook Throttle Org")).client;
});
afterAll(() => t.close());

const webhookFlow = { nodes: [{ id: "hook", type: "webhook_trigger" }] };

const call = (client: TestClient, workflowId: string, secret: string | undefined) =>
  client.post(`/hooks/${workflowId}/${secret}`, {});

it("wrong secrets from many addresses do not use up the workflow's budget", async () => {
  const wf = await workflowWith(owner, webhookFlow);
  for (let i = 0; i < PER_WORKFLOW * 4; i++) {
    expect((await call(t.client(), wf.id, `guess-${i}`)).status).toBe(404);
  }
  expect((await call(t.client(), wf.id, wf.webhookSecret)).status).toBe(202);
});

it("the right secret is held to the per-workflow budget, with Retry-After", async () => {
  const wf = await workflowWith(owner, webhookFlow);
  const sender = t.client();
  for (let i = 0; i < PER_WORKFLOW; i++) {
    expect((await call(sender, wf.id, wf.webhookSecret)).status).toBe(202);
  }
  const refused = await call(t.client(), wf.id, wf.webhookSecret);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
});

it("wrong secrets are throttled per IPv6 /64, not per address", async () => {
  const wf = await workflowWith(owner, webhookFlow);
  const inPrefix = (i: number) => t.client(`2001:db8:7:7::${(i + 1).toString(16)}`);
  for (let i = 0; i < BAD_WEBHOOK_SECRETS_PER_MINUTE; i++) {
    expect((await call(inPrefix(i), wf.id, `guess-${i}`)).status).toBe(404);
  }
  // Another address of the same /64 is refused before any lookup, even with the right secret.
  const refused = await call(inPrefix(999), wf.id, wf.webhookSecret);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  // The next /64 is not.
  expect((await call(t.client("2001:db8:7:8::1"), wf.id, wf.webhookSecret)).status).toBe(202);
});
