import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/helpers/db.ts";
import type { Database } from "../db/client.ts";
import { pgliteDb } from "./adapters.ts";
import { createQueue, type JobQueue, type QueueJob } from "./queue.ts";

let database: Database;
let queue: JobQueue;
const errors: Error[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`create table queue_test_row (id int primary key)`);
  queue = await createQueue(database, { onError: (e) => errors.push(e), expirySweepSeconds: 1 });
});

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await database?.close();
});

let queueCount = 0;
async function freshQueue(q: JobQueue = queue): Promise<string> {
  const name = `test-${++queueCount}-${Date.now()}`;
  await q.createQueue(name);
  return name;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function jobState(id: string): Promise<string | undefined> {
  const result = (await database.db.execute(
    sql`select state::text as state from pgboss.job where id = ${id}::uuid`,
  )) as unknown as { rows: { state: string }[] };
  return result.rows[0]?.state;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { pollingIntervalSeconds: 0.5 };

describe(`job queue (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("delivers the data to the handler and completes the job", async () => {
    const name = await freshQueue();
    const received: QueueJob<{ executionId: string }>[] = [];
    await queue.work<{ executionId: string }>(name, fast, async (jobs) => {
      received.push(...jobs);
    });
    const id = await queue.send(name, { executionId: "ex-1" });
    expect(id).toBeTruthy();
    await waitFor(async () => (await jobState(id as string)) === "completed");
    expect(received.map((j) => [j.id, j.data])).toEqual([[id, { executionId: "ex-1" }]]);
  });

  it("retries a failing handler per retryLimit/retryDelay, then leaves the job failed", async () => {
    const name = await freshQueue();
    const attempts: { at: number; retryCount: number }[] = [];
    await queue.work(name, fast, async (jobs) => {
      for (const job of jobs) attempts.push({ at: Date.now(), retryCount: job.retryCount });
      throw new Error("node failed");
    });
    const id = (await queue.send(name, {}, { retryLimit: 2, retryDelay: 1 })) as string;
    await waitFor(async () => (await jobState(id)) === "failed");
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    // Each retry waited its retryDelay (a lower bound, not a timing benchmark).
    for (let i = 1; i < attempts.length; i++) {
      expect((attempts[i]?.at ?? 0) - (attempts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
    await sleep(1500);
    expect(attempts).toHaveLength(3);
  });

  it("a handler that fails once and then succeeds ends completed", async () => {
    const name = await freshQueue();
    let calls = 0;
    await queue.work(name, fast, async () => {
      calls++;
      if (calls === 1) throw new Error("transient");
    });
    const id = (await queue.send(name, {}, { retryLimit: 3, retryDelay: 0 })) as string;
    await waitFor(async () => (await jobState(id)) === "completed");
    expect(calls).toBe(2);
  });

  it("startAfter delays the job", async () => {
    const name = await freshQueue();
    let deliveredAt = 0;
    await queue.work(name, fast, async () => {
      deliveredAt = Date.now();
    });
    const sentAt = Date.now();
    const id = (await queue.send(name, {}, { startAfter: 3 })) as string;
    await sleep(1500);
    expect(deliveredAt).toBe(0);
    expect(await jobState(id)).toBe("created");
    await waitFor(() => deliveredAt > 0);
    expect(deliveredAt - sentAt).toBeGreaterThanOrEqual(2500);

    const at = new Date(Date.now() + 1500);
    const dated = (await queue.send(name, {}, { startAfter: at })) as string;
    expect(await jobState(dated)).toBe("created");
    await waitFor(async () => (await jobState(dated)) === "completed");
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
  });

  it("a job sent in a transaction is delivered only if the transaction commits", async () => {
    const name = await freshQueue();
    const seen: number[] = [];
    await queue.work<{ row: number }>(name, fast, async (jobs) => {
      for (const job of jobs) seen.push(job.data.row);
    });

    let rolledBackId = null as string | null;
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into queue_test_row (id) values (1)`);
        rolledBackId = await queue.sendInTransaction(tx, name, { row: 1 });
        throw new Error("abort the execution");
      }),
    ).rejects.toThrow("abort the execution");
    expect(rolledBackId).toBeTruthy();

    const committedId = await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into queue_test_row (id) values (2)`);
      return queue.sendInTransaction(tx, name, { row: 2 });
    });
    await waitFor(async () => (await jobState(committedId as string)) === "completed");
    await sleep(1000); // a second poll, in case the rolled-back job existed after all
    expect(seen).toEqual([2]);
    expect(await jobState(rolledBackId as string)).toBeUndefined();
    const rows = (await database.db.execute(
      sql`select id from queue_test_row order by id`,
    )) as unknown as { rows: { id: number }[] };
    expect(rows.rows).toEqual([{ id: 2 }]);
  });

  it("sendInTransaction refuses a queue this instance has not created", async () => {
    await expect(
      database.db.transaction((tx) => queue.sendInTransaction(tx, "never-created", {})),
    ).rejects.toThrow(/must be created/);
  });

  it("stop({ graceful }) waits for a running handler, which completes its job", async () => {
    const other = await createQueue(database, { onError: (e) => errors.push(e) });
    const name = await freshQueue(other);
    let started = false;
    let finished = false;
    await other.work(name, fast, async () => {
      started = true;
      await sleep(1500);
      finished = true;
    });
    const id = (await other.send(name, {})) as string;
    await waitFor(() => started);
    await other.stop({ graceful: true, timeoutMs: 10_000 });
    expect(finished).toBe(true);
    expect(await jobState(id)).toBe("completed");
  });

  it("a job whose worker died mid-flight is delivered again after it expires", async () => {
    const doomed = cuttable(database);
    const dying = await createQueue(doomed.database, { onError: () => {} });
    const name = await freshQueue(dying);
    const deliveries: { id: string; retryCount: number; by: string }[] = [];
    await dying.work(name, fast, async (jobs) => {
      for (const j of jobs) deliveries.push({ id: j.id, retryCount: j.retryCount, by: "dying" });
      await new Promise((r) => jobs[0]?.signal.addEventListener("abort", r));
    });
    const id = (await dying.send(name, {}, { expireInSeconds: 2, retryLimit: 3 })) as string;
    await waitFor(() => deliveries.length === 1);

    // The process "dies": its connection is gone, so it cannot fail or complete the job.
    doomed.cut();
    await dying.stop({ graceful: false });
    expect(await jobState(id)).toBe("active");

    await queue.createQueue(name);
    await queue.work(name, fast, async (jobs) => {
      for (const j of jobs) deliveries.push({ id: j.id, retryCount: j.retryCount, by: "survivor" });
    });
    await waitFor(async () => (await jobState(id)) === "completed");
    expect(deliveries).toEqual([
      { id, retryCount: 0, by: "dying" },
      { id, retryCount: 1, by: "survivor" },
    ]);
  });

  it("every() runs a task now and again, reports its failures, and stops with the queue", async () => {
    const own = await createQueue(database, { onError: (e) => errors.push(e) });
    let runs = 0;
    let inFlight = false;
    own.every(0.05, async () => {
      runs++;
      inFlight = true;
      await new Promise((r) => setTimeout(r, 20));
      inFlight = false;
      if (runs === 2) throw new Error("second run fails");
    });
    expect(runs).toBe(1); // at once, not after the first interval
    await waitFor(() => runs >= 4);
    expect(errors.splice(0).map((e) => e.message)).toEqual(["second run fails"]);
    await own.stop({ graceful: true, timeoutMs: 5_000 });
    expect(inFlight).toBe(false); // the run in progress finished first
    const stoppedAt = runs;
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toBe(stoppedAt);
  });

  it("processes 500 jobs, each exactly once", async () => {
    const name = await freshQueue();
    const done = new Set<number>();
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => queue.send(name, { n: i + k }, { retryLimit: 0 })),
      );
    }
    await queue.work<{ n: number }>(name, { ...fast, batchSize: 50 }, async (jobs) => {
      for (const job of jobs) done.add(job.data.n);
    });
    await waitFor(() => done.size === 500, 60_000);
    // Completion is written after the handler returns: every job ends completed, none twice.
    await waitFor(async () => {
      const result = (await database.db.execute(
        sql`select count(*)::int as n from pgboss.job where name = ${name} and state = 'completed'`,
      )) as unknown as { rows: { n: number }[] };
      return result.rows[0]?.n === 500;
    });
    expect(done.size).toBe(500);
  });

  it("pg-boss reported no background errors", () => {
    expect(errors).toEqual([]);
  });
});

describe.runIf(!process.env.DATABASE_URL)("PGlite adapter", () => {
  it("returns the rows of every statement of a multi-statement text", async () => {
    const db = pgliteDb(database.pglite as PGlite);
    const { rows } = await db.executeSql("select 1 as a; select 2 as b");
    expect(rows).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("rolls back a failed BEGIN…COMMIT block so the connection stays usable", async () => {
    const db = pgliteDb(database.pglite as PGlite);
    await expect(
      db.executeSql("BEGIN; insert into queue_test_row values (99); select 1/0; COMMIT;"),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await db.executeSql(
      "select count(*)::int as n from queue_test_row where id = $1",
      [99],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});

/** A view of the database whose driver can be cut, as if its process had died. */
function cuttable(base: Database): { database: Database; cut(): void } {
  let dead = false;
  const guard = <F extends (...args: never[]) => Promise<unknown>>(fn: F) =>
    ((...args: Parameters<F>) =>
      dead ? Promise.reject(new Error("process died")) : fn(...args)) as F;
  if (base.pglite) {
    const p = base.pglite;
    const pglite = {
      query: guard(p.query.bind(p)),
      exec: guard(p.exec.bind(p)),
      transaction: guard(p.transaction.bind(p)),
    } as unknown as PGlite;
    return { database: { ...base, pglite }, cut: () => (dead = true) };
  }
  const pool = base.pool as pg.Pool;
  const guarded = { query: guard(pool.query.bind(pool) as never) } as unknown as pg.Pool;
  return { database: { ...base, pool: guarded }, cut: () => (dead = true) };
}
