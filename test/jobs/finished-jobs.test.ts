import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { createQueue, type JobQueue } from "../../src/jobs/queue.ts";
import { createTestDatabase } from "../helpers/db.ts";

let database: Database;
let queue: JobQueue | undefined;
const errors: Error[] = [];
const onError = (error: Error) => errors.push(error);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await queue?.stop({ graceful: false });
  await database?.close();
});

async function jobsOf(name: string) {
  const result = (await database.db.execute(
    sql`select state::text as state, deletion_seconds from pgboss.job where name = ${name} order by created_on`,
  )) as unknown as { rows: { state: string; deletion_seconds: number }[] };
  return result.rows;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("finished jobs are deleted by pg-boss's maintenance once their retention passes; waiting ones stay", async () => {
  const name = "finished-jobs-test";
  // A queue created earlier with the default retention (a day) ...
  const before = await createQueue(database, { onError });
  await before.createQueue(name);
  await before.stop({ graceful: false });
  // ... takes the configured one when the next process starts.
  queue = await createQueue(database, { onError, finishedJobsSeconds: 1, deletionSweepSeconds: 1 });
  await queue.createQueue(name);
  await queue.send(name, { n: 1 });
  await queue.send(name, { n: 2 }, { startAfter: 3600 }); // not due: stays queued
  expect((await jobsOf(name)).map((j) => j.deletion_seconds)).toEqual([1, 1]);
  await queue.work(name, { pollingIntervalSeconds: 0.5 }, async () => {});
  await waitFor(async () => (await jobsOf(name)).length === 1);
  expect((await jobsOf(name)).map((j) => j.state)).toEqual(["created"]);
  expect(errors).toEqual([]);
});
