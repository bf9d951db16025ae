import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "./harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Triggers Org")).client;
});
afterAll(() => t.close());

const webhookFlow = {
  nodes: [
    { id: "hook", type: "webhook_trigger" },
    {
      id: "echo",
      type: "transform",
      parameters: { fields: { total: "{{ trigger.body.items.price ~> $sum() }}" } },
    },
  ],
  edges: [{ from: "hook", to: "echo" }],
};

describe("incoming webhook trigger", () => {
  it("runs the workflow with the request body; the secret is shown once and stored hashed", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    expect(wf.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const resaved = await owner.mutate<{ webhookSecret?: string }>("workflows.saveDefinition", {
      workflowId: wf.id,
      definition: webhookFlow,
    });
    expect(resaved.webhookSecret).toBeUndefined();
    const stored = await dbRows<{ h: string }>(
      t,
      sql`select webhook_secret_hash as h from workflow where id = ${wf.id}`,
    );
    expect(stored[0]?.h).not.toBe(wf.webhookSecret);

    const client = t.client();
    client.origin = null; // a server-to-server call
    const res = await client.post(`/hooks/${wf.id}/${wf.webhookSecret}`, {
      items: [{ price: 2 }, { price: 3 }],
    });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const done = await waitForExecution(owner, executionId);
    expect(stepOf(done, "echo")?.output).toEqual({ total: 5 });
  });

  it("answers 404 to a wrong secret, an unknown workflow, or one without a webhook trigger", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    const manual = await workflowWith(owner, { nodes: [{ id: "m", type: "manual_trigger" }] });
    const client = t.client();
    expect((await client.post(`/hooks/${wf.id}/wrong-secret-value`, {})).status).toBe(404);
    expect((await client.post(`/hooks/no-such-workflow/${wf.webhookSecret}`, {})).status).toBe(404);
    expect((await client.post(`/hooks/${manual.id}/${wf.webhookSecret}`, {})).status).toBe(404);
  });

  it("rotating the secret stops the old one at once", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    const { webhookSecret } = await owner.mutate<{ webhookSecret: string }>(
      "workflows.rotateWebhookSecret",
      { workflowId: wf.id },
    );
    const client = t.client();
    expect((await client.post(`/hooks/${wf.id}/${wf.webhookSecret}`, {})).status).toBe(404);
    expect((await client.post(`/hooks/${wf.id}/${webhookSecret}`, {})).status).toBe(202);
  });

  it("throttles repeated bad secrets from one address", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    const client = t.client();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await client.post(`/hooks/${wf.id}/guess-${i}`, {})).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // another address is not affected
    expect((await t.client().post(`/hooks/${wf.id}/${wf.webhookSecret}`, {})).status).toBe(202);
  });

  it("does not throttle a sender that uses the right secret", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    const client = t.client();
    for (let i = 0; i < 30; i++) {
      expect((await client.post(`/hooks/${wf.id}/${wf.webhookSecret}`, { items: [] })).status).toBe(
        202,
      );
    }
  });

  it("refuses a malformed JSON body with 400", async () => {
    const wf = await workflowWith(owner, webhookFlow);
    const res = await t.client().fetch(`/hooks/${wf.id}/${wf.webhookSecret}`, {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
  });
});

describe("schedule trigger", () => {
  const scheduled = (cron: string) => ({
    nodes: [
      { id: "tick", type: "schedule_trigger", parameters: { cron } },
      { id: "note", type: "transform", parameters: { fields: { at: "{{ trigger.firedAt }}" } } },
    ],
    edges: [{ from: "tick", to: "note" }],
  });
  const schedules = (workflowId: string) =>
    dbRows<{ cron: string }>(
      t,
      sql`select cron from pgboss.schedule where name = 'workflow.schedule' and key = ${workflowId}`,
    );

  it("saving registers the cron schedule; a firing runs the current version; removing the trigger unschedules", async () => {
    const wf = await workflowWith(owner, scheduled("*/5 * * * *"));
    expect(await schedules(wf.id)).toEqual([{ cron: "*/5 * * * *" }]);

    const [org] = await dbRows<{ id: string }>(
      t,
      sql`select organization_id as id from workflow where id = ${wf.id}`,
    );
    await t.deps.queue.send("workflow.schedule", { orgId: org?.id, workflowId: wf.id });
    const list = async () =>
      (
        await owner.query<{ items: { id: string; trigger: string }[] }>("executions.list", {
          workflowId: wf.id,
        })
      ).items;
    for (let i = 0; i < 200 && (await list()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    const [first] = await list();
    expect(first?.trigger).toBe("schedule");
    expect((await waitForExecution(owner, first?.id ?? "")).status).toBe("succeeded");

    await owner.mutate("workflows.saveDefinition", {
      workflowId: wf.id,
      definition: { nodes: [{ id: "m", type: "manual_trigger" }] },
    });
    expect(await schedules(wf.id)).toEqual([]);
  });

  it("refuses a malformed cron expression on save", async () => {
    const { id } = await owner.mutate<{ id: string }>("workflows.create", { name: "bad cron" });
    const error = await owner.trpcError("mutate", "workflows.saveDefinition", {
      workflowId: id,
      definition: scheduled("every day"),
    });
    expect(error.error.message).toContain("cron");
  });

  const withTrigger = (parameters: Record<string, string>) => ({
    nodes: [{ id: "tick", type: "schedule_trigger", parameters }],
  });
  const saveError = async (parameters: Record<string, string>) => {
    const { id } = await owner.mutate<{ id: string }>("workflows.create", { name: "bad schedule" });
    const error = await owner.trpcError("mutate", "workflows.saveDefinition", {
      workflowId: id,
      definition: withTrigger(parameters),
    });
    return { status: error.status, message: error.error.message, schedules: await schedules(id) };
  };

  it.each([
    ["a minute out of range", "99 * * * *"],
    ["a day of week out of range", "0 0 * * 8"],
    ["letters in a field", "a b c d e"],
    ["a date that never comes", "0 0 31 2 *"],
  ])(
    "refuses %s on save, as the queue's cron parser would, naming parameters.cron",
    async (_what, cron) => {
      const refused = await saveError({ cron });
      expect(refused.status).toBe(400);
      expect(refused.message).toContain('node "tick": parameters.cron');
      expect(refused.schedules).toEqual([]);
    },
  );

  it("refuses an unknown time zone on save, naming parameters.timezone", async () => {
    const refused = await saveError({ cron: "0 9 * * 1-5", timezone: "Mars/Olympus" });
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('node "tick": parameters.timezone');
    expect(refused.schedules).toEqual([]);
  });

  it("refuses an expression as the cron or time zone: the schedule is registered when saved", async () => {
    const cron = await saveError({ cron: "{{ a }} * * *" });
    expect(cron.status).toBe(400);
    expect(cron.message).toContain("parameters.cron: must be literal");
    const timezone = await saveError({ cron: "* * * * *", timezone: "{{ trigger.tz }}" });
    expect(timezone.message).toContain("parameters.timezone: must be literal");
  });

  it("accepts a valid cron expression in a named time zone", async () => {
    const wf = await workflowWith(
      owner,
      withTrigger({ cron: "30 8 * * 1-5", timezone: "Europe/Berlin" }),
    );
    expect(await schedules(wf.id)).toEqual([{ cron: "30 8 * * 1-5" }]);
  });
});

it("never writes a webhook secret to the log", async () => {
  const wf = await workflowWith(owner, webhookFlow);
  await t.client().post(`/hooks/${wf.id}/${wf.webhookSecret}`, { items: [] });
  expect(t.logLines.join("\n")).not.toContain(wf.webhookSecret as string);
});
