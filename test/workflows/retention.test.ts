import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RetentionDefaults } from "../../src/config/executions.ts";
import { execution, executionStep, reviewRequest } from "../../src/db/schema/index.ts";
import { MAINTENANCE_QUEUE, startMaintenance } from "../../src/jobs/maintenance.ts";
import { pruneExecutions } from "../../src/modules/workflows/retention/prune.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { workflowWith } from "./harness.ts";

const DEFAULTS: RetentionDefaults = {
  keepDays: 7,
  keepFailedDays: 30,
  keepPerWorkflow: null,
  finishedJobsHours: 24,
};

let t: TestApp;
let ownerA: TestClient;
let ownerB: TestClient;
let orgA: string;
let orgB: string;
beforeAll(async () => {
  t = await startTestApp({ retention: DEFAULTS });
  ({ client: ownerA, orgId: orgA } = await orgOwner(t, "Retention A"));
  ({ client: ownerB, orgId: orgB } = await orgOwner(t, "Retention B"));
});
afterAll(() => t.close());

type Status = (typeof execution.$inferSelect)["status"];
const DAY = 86_400_000;
const flow = { nodes: [{ id: "start", type: "manual_trigger" }] };

async function insertExecution(orgId: string, workflowId: string, status: Status, age: number) {
  const id = randomUUID();
  const createdAt = new Date(Date.now() - age);
  const finished = ["succeeded", "failed", "cancelled"].includes(status);
  await t.deps.database.db.insert(execution).values({
    id,
    organizationId: orgId,
    workflowId,
    version: 1,
    status,
    trigger: "manual",
    createdAt,
    finishedAt: finished ? createdAt : null,
  });
  await t.deps.database.db.insert(executionStep).values({
    id: randomUUID(),
    organizationId: orgId,
    executionId: id,
    nodeId: "start",
    status: finished ? "succeeded" : "running",
  });
  return id;
}

async function withReview(orgId: string, executionId: string, status: "pending" | "approved") {
  await t.deps.database.db.insert(reviewRequest).values({
    id: randomUUID(),
    organizationId: orgId,
    executionId,
    nodeId: "start",
    title: "Check",
    status,
    expiresAt: new Date(Date.now() + DAY),
  });
  return executionId;
}

async function remaining(ids: string[]) {
  const db = t.deps.database.db;
  const rows = await db
    .select({ id: execution.id })
    .from(execution)
    .where(inArray(execution.id, ids));
  return new Set(rows.map((r) => r.id));
}

describe("orgs.retention API", () => {
  it("reads the instance defaults until the organization sets its own", async () => {
    const { instance, ...inForce } =
      await ownerA.query<Record<string, unknown>>("orgs.retention.get");
    expect(inForce).toEqual({
      keepDays: 7,
      keepFailedDays: 30,
      keepPerWorkflow: null,
      source: "instance",
    });
    expect(instance).toEqual({ keepDays: 7, keepFailedDays: 30, keepPerWorkflow: null });
  });

  it("an OWNER or ADMIN sets them, audited with before and after; a PARTICIPANT may not see them", async () => {
    const settings = { keepDays: 30, keepFailedDays: 60, keepPerWorkflow: 3 };
    const saved = await ownerB.mutate<Record<string, unknown>>("orgs.retention.set", settings);
    expect(saved).toMatchObject({ ...settings, source: "organization" });
    expect(await ownerB.query("orgs.retention.get")).toMatchObject(saved);
    const [event] = (await auditEvents(ownerB)).filter((e) => e.action === "org.retention_changed");
    expect(event?.metadata).toEqual({
      before: { keepDays: 7, keepFailedDays: 30, keepPerWorkflow: null, source: "instance" },
      after: { ...settings, source: "organization" },
    });

    const { client: admin } = await addMember(t, ownerA, "ADMIN");
    const byAdmin = { keepDays: 3, keepFailedDays: 10, keepPerWorkflow: null };
    expect(await admin.mutate("orgs.retention.set", byAdmin)).toMatchObject(byAdmin);
    expect(await admin.mutate("orgs.retention.reset")).toMatchObject({
      keepDays: 7,
      source: "instance",
    });

    const { client: participant } = await addMember(t, ownerA, "PARTICIPANT");
    expect((await participant.trpcError("query", "orgs.retention.get")).status).toBe(403);
    expect((await participant.trpcError("mutate", "orgs.retention.set", byAdmin)).status).toBe(403);
  });

  it("refuses settings out of range with a 400 naming the field", async () => {
    const error = await ownerA.trpcError("mutate", "orgs.retention.set", {
      keepDays: 0,
      keepFailedDays: 30,
      keepPerWorkflow: null,
    });
    expect(error.status).toBe(400);
    expect(error.error.message).toBe("keepDays: at least 1 day");
  });
});

describe(`pruning (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("deletes what each organization's settings no longer keep, and nothing else", async () => {
    const a = (await workflowWith(ownerA, flow)).id;
    const kept = [
      await insertExecution(orgA, a, "succeeded", 2 * DAY),
      await insertExecution(orgA, a, "failed", 10 * DAY), // failed ones are kept 30 days
      await insertExecution(orgA, a, "running", 40 * DAY),
      await insertExecution(orgA, a, "waiting", 40 * DAY),
      await insertExecution(orgA, a, "queued", 40 * DAY),
      await withReview(orgA, await insertExecution(orgA, a, "failed", 40 * DAY), "pending"),
    ];
    const pruned = [
      await insertExecution(orgA, a, "succeeded", 10 * DAY),
      await insertExecution(orgA, a, "cancelled", 10 * DAY),
      await insertExecution(orgA, a, "failed", 40 * DAY),
      await withReview(orgA, await insertExecution(orgA, a, "succeeded", 10 * DAY), "approved"),
    ];
    // B keeps 30 days (60 failed) and the newest 3 succeeded or cancelled per workflow
    const b1 = (await workflowWith(ownerB, flow)).id;
    const b2 = (await workflowWith(ownerB, flow)).id;
    const keptB = [
      await insertExecution(orgB, b1, "succeeded", 10 * DAY),
      await insertExecution(orgB, b1, "failed", 40 * DAY),
      await insertExecution(orgB, b2, "failed", 6 * 3_600_000), // not counted
    ];
    const newestB2: string[] = [];
    for (let hours = 1; hours <= 5; hours++) {
      newestB2.push(await insertExecution(orgB, b2, "succeeded", hours * 3_600_000));
    }
    const prunedB = [await insertExecution(orgB, b1, "succeeded", 31 * DAY), ...newestB2.slice(3)];

    const result = await pruneExecutions(t.deps.database.db, DEFAULTS);
    expect(result.deleted).toBe(pruned.length + prunedB.length);
    expect(await remaining([...kept, ...pruned])).toEqual(new Set(kept));
    expect(await remaining([...keptB, ...newestB2, ...prunedB])).toEqual(
      new Set([...keptB, ...newestB2.slice(0, 3)]),
    );
    // the steps went with their executions; reviews stay, as the record of a decision
    const steps = await t.deps.database.db
      .select({ id: executionStep.id })
      .from(executionStep)
      .where(inArray(executionStep.executionId, [...pruned, ...prunedB]));
    expect(steps).toEqual([]);
    const reviews = await t.deps.database.db
      .select({ id: reviewRequest.id })
      .from(reviewRequest)
      .where(eq(reviewRequest.executionId, pruned[3] as string));
    expect(reviews).toHaveLength(1);
  });

  it("deletes in batches of the given size until nothing is left to delete", async () => {
    const wf = (await workflowWith(ownerA, flow)).id;
    const old: string[] = [];
    for (let i = 0; i < 10; i++) old.push(await insertExecution(orgA, wf, "succeeded", 9 * DAY));
    // failed ones in between are kept, and the batches walk past them
    for (let i = 0; i < 4; i++) await insertExecution(orgA, wf, "failed", 9 * DAY);
    const result = await pruneExecutions(t.deps.database.db, DEFAULTS, 3);
    expect(result).toEqual({ deleted: 10, batches: 4 });
    expect(await remaining(old)).toEqual(new Set());
    const left = await t.deps.database.db.$count(
      execution,
      and(eq(execution.workflowId, wf), eq(execution.status, "failed")),
    );
    expect(left).toBe(4);
  });

  it("the hourly maintenance job prunes by the instance's retention", async () => {
    const wf = (await workflowWith(ownerA, flow)).id;
    const old = await insertExecution(orgA, wf, "succeeded", 8 * DAY);
    const recent = await insertExecution(orgA, wf, "succeeded", DAY);
    // due before the worker's first fetch, so it runs at once rather than at minute 17
    await t.deps.queue.send(MAINTENANCE_QUEUE, {});
    await startMaintenance(
      { db: t.deps.database.db, logger: t.deps.logger, retention: DEFAULTS },
      t.deps.queue,
    );
    const until = Date.now() + 20_000;
    while ((await remaining([old])).size > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await remaining([old, recent])).toEqual(new Set([recent]));
  });
});
