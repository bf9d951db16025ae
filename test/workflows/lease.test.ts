import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner } from "../helpers/users.ts";
import { startSink, stepOf, waitForExecution, workflowWith } from "./harness.ts";

/** Short enough that a node outlives it several times over. */
const LEASE_MS = 800;
const SLOW_MS = 4_000;

let t: TestApp;
let owner: TestClient;
let sink: Awaited<ReturnType<typeof startSink>>;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  ({ client: owner } = await orgOwner(t, "Leased Org"));
  sink = await startSink((req, res) => {
    setTimeout(() => res.end("{}"), req.url.startsWith("/slow") ? SLOW_MS : 0);
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

const hits = (path: string) => sink.requests.filter((r) => r.url === path).length;

const slowFlow = (path: string) => ({
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "slow",
      type: "http_request",
      parameters: { url: `${sink.url}${path}` },
      timeoutMs: 10_000,
      retry: { attempts: 3, backoffMs: 0 },
    },
  ],
  edges: [{ from: "start", to: "slow" }],
});

const run = async (workflowId: string) =>
  (await owner.mutate<{ executionId: string }>("workflows.run", { workflowId })).executionId;

describe("the execution lease", () => {
  it("is reclaimed when its worker died, though the execution's job is gone", async () => {
    const wf = await workflowWith(owner, slowFlow("/fast"));
    const executionId = await run(wf.id);
    // What a worker killed mid-run leaves: the execution running under a lease that ran out,
    // and no job that would hand it out again soon.
    const db = t.deps.database.db;
    await db.execute(
      sql`update execution set status = 'running', lease_until = now() - interval '1 second' where id = ${executionId}`,
    );
    await db.execute(sql`delete from pgboss.job where name = 'execution.advance'`);

    await startEngineWorkers({ ...t.deps.engine, leaseMs: LEASE_MS }, t.deps.queue);
    const done = await waitForExecution(owner, executionId, undefined, 10_000);
    expect(done.status).toBe("succeeded");
    expect(hits("/fast")).toBe(1);
  });

  it("is kept by a live worker for as long as its node runs: the node runs once", async () => {
    // the workers started above, and a second set as another process would run them
    await startEngineWorkers({ ...t.deps.engine, leaseMs: LEASE_MS }, t.deps.queue);
    const wf = await workflowWith(owner, slowFlow("/slow"));
    const executionId = await run(wf.id);
    const done = await waitForExecution(owner, executionId, undefined, 20_000);
    expect(done.status).toBe("succeeded");
    expect(hits("/slow")).toBe(1);
    expect(stepOf(done, "slow")?.attempt).toBe(1);
  });

  it("is taken back at once, though it has not run out, when the only process that can open the database starts", async () => {
    const wf = await workflowWith(owner, slowFlow("/at-start"));
    const executionId = await run(wf.id);
    // What a kill -9 leaves on the embedded database: a lease that would last another hour.
    const db = t.deps.database.db;
    await db.execute(
      sql`update execution set status = 'running', lease_until = now() + interval '1 hour' where id = ${executionId}`,
    );
    await db.execute(sql`delete from pgboss.job where name = 'execution.advance'`);

    await startEngineWorkers({ ...t.deps.engine, leaseMs: LEASE_MS }, t.deps.queue, {
      soleProcess: true,
    });
    const done = await waitForExecution(owner, executionId, undefined, 10_000);
    expect(done.status).toBe("succeeded");
    expect(hits("/at-start")).toBe(1);
  });
});
