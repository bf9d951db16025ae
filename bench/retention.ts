import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { defaultRetention } from "../src/config/executions.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createBacklogGate } from "../src/modules/workflows/backlog.ts";
import { pruneExecutions } from "../src/modules/workflows/retention/prune.ts";

/**
 * `npm run bench:retention`: what back-pressure and retention cost on PostgreSQL
 * (BENCH_DATABASE_URL, default the local server): the backlog gate's reading with 0 to 10,000
 * executions queued beside 200,000 finished ones, and pruning 120,000 expired executions (with
 * two steps each) out of 200,000 in batches of 500. Prints tables; a fresh database each run.
 */
const serverUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const STORED = 200_000;
const EXPIRED_SHARE = 0.6;
const WORKFLOWS = 20;

async function admin(query: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function seed(database: Database, count: number, status: string, daysAgo: [number, number]) {
  const [newest, oldest] = daysAgo;
  await database.db.execute(sql`
    insert into execution (id, organization_id, workflow_id, version, status, trigger, payload,
                           created_at, finished_at)
    select gen_random_uuid()::text, 'org-bench', 'wf-' || (n % ${WORKFLOWS}), 1,
           ${status}::execution_status, 'webhook', jsonb_build_object('n', n),
           now() - make_interval(days => ${newest}) - (${oldest - newest} * n::float8 / ${count}) * interval '1 day',
           case when ${status} in ('succeeded', 'failed') then now() end
    from generate_series(1, ${count}) as n`);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

const name = `fluxo_bench_retention_${randomBytes(4).toString("hex")}`;
await admin(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
try {
  await runMigrations(database);
  await database.db.execute(
    sql`insert into organization (id, name, slug) values ('org-bench', 'Bench', 'bench')`,
  );
  await database.db.execute(sql`
    insert into workflow (id, organization_id, name, default_level)
    select 'wf-' || n, 'org-bench', 'wf ' || n, 'view' from generate_series(0, ${WORKFLOWS - 1}) as n`);
  const expired = Math.round(STORED * EXPIRED_SHARE);
  await seed(database, expired, "succeeded", [15, 60]);
  await seed(database, STORED - expired, "succeeded", [0, 13]);
  await database.db.execute(sql`
    insert into execution_step (id, organization_id, execution_id, node_id, status)
    select gen_random_uuid()::text, organization_id, id, node, 'succeeded'
    from execution, (values ('hook'), ('post')) as nodes(node)`);
  await database.db.execute(sql`vacuum analyze`);

  console.log(`Backlog gate reading beside ${STORED.toLocaleString("en")} finished executions`);
  console.log("| queued | reading, mean of 20 (ms) |\n| ---: | ---: |");
  let queued = 0;
  for (const target of [0, 2_500, 10_000]) {
    if (target > queued) await seed(database, target - queued, "queued", [0, 0]);
    queued = target;
    await database.db.execute(sql`analyze execution`);
    let total = 0;
    for (let i = 0; i < 20; i++) {
      // a new gate each time, so every admit reads the database
      const gate = createBacklogGate(database.db, { max: 10_000, perOrg: 10_000 });
      total += (await timed(() => gate.admit("org-other").catch(() => {})))[1];
    }
    console.log(`| ${target.toLocaleString("en")} | ${(total / 20).toFixed(2)} |`);
  }
  await database.db.execute(sql`delete from execution where status = 'queued'`);

  const [result, ms] = await timed(() => pruneExecutions(database.db, defaultRetention));
  console.log(
    `\nPruning with the defaults (${defaultRetention.keepDays} days; ${defaultRetention.keepPerWorkflow} per workflow)`,
  );
  console.log("| stored | deleted | batches | seconds | executions/s | ms per batch |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  console.log(
    `| ${STORED.toLocaleString("en")} | ${result.deleted.toLocaleString("en")} | ${result.batches} | ${(ms / 1000).toFixed(1)} | ${Math.round(result.deleted / (ms / 1000)).toLocaleString("en")} | ${(ms / Math.max(1, result.batches)).toFixed(1)} |`,
  );
  const [again, idleMs] = await timed(() => pruneExecutions(database.db, defaultRetention));
  console.log(
    `\nA second pass with nothing left to delete: ${again.deleted} deleted in ${idleMs.toFixed(0)} ms`,
  );
} finally {
  await database.close();
  await admin(`drop database if exists ${name} with (force)`);
}
