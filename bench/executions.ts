/**
 * `npm run bench:executions`: executions per second of an incoming-webhook → transform →
 * HTTP request workflow on one Fluxo instance on PostgreSQL, with 0, 20,000 and 100,000
 * executions already stored: does the engine stay as fast as its history grows?
 *
 * - The instance (HTTP server + in-process engine workers) runs in a child process
 *   (`bench/instance.ts`); this process is the load generator and hosts the sink.
 * - Each row gets a fresh database on BENCH_POSTGRES_URL's server (dropped afterwards). The
 *   history is written straight into the tables before the run (`bench/history.ts`: executions,
 *   their steps and their completed queue jobs, then VACUUM ANALYZE), not through the engine.
 * - Load: a closed loop of BENCH_CONCURRENCY clients. Each POSTs the webhook, waits until its
 *   execution has succeeded, and posts again — so the queue never grows without bound and the
 *   latency is that of a loaded system, not of a backlog.
 * - Completion is read by the instance: one primary-key query every 10 ms for the executions
 *   the clients wait for; latency = `finished_at` − the moment the POST was sent (same clock).
 * - Per execution: statements the instance sent (counted in its node-postgres client, so the
 *   figure needs no server extension), CPU of the PostgreSQL backends serving the database and
 *   CPU of the instance with its expression workers (/proc/<pid>/stat, sampled).
 * - When the server preloads pg_stat_statements, each row also prints the statements that
 *   took most of PostgreSQL's execution time during the measured run.
 *
 * Environment: BENCH_STORED (stored executions per row, default 0,20000,100000),
 * BENCH_EXECUTIONS (measured per row, default 3000), BENCH_WARMUP (200), BENCH_CONCURRENCY (32),
 * BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_PGLITE=1 (adds a row
 * on embedded PGlite, empty), BENCH_CPU_PROF (a directory: write the instance's CPU profiles),
 * BENCH_TOP_STATEMENTS=1 (each instance prints its most frequent statements), BENCH_SERVER_TOP
 * (8: how many of pg_stat_statements' statements to print per row, when the server preloads it),
 * BENCH_EXPRESSION_ROUNDS (0: compare expression evaluation in worker processes against the
 * calling thread, that many executions' worth each way).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { nodeCpu, postgresCpu } from "./cpu.ts";
import { type CostRow, measureExpressionCost } from "./expression-cost.ts";
import { seedHistory } from "./history.ts";
import type { DoneMessage, ReadyMessage } from "./instance.ts";
import { type ServerStatement, serverStatements } from "./server-statements.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STORED = (process.env.BENCH_STORED ?? "0,20000,100000").split(",").map(Number);
const POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PGLITE = process.env.BENCH_PGLITE === "1";
const EXPRESSION_ROUNDS = Number(process.env.BENCH_EXPRESSION_ROUNDS ?? 0);
const SERVER_TOP = Number(process.env.BENCH_SERVER_TOP ?? 8);
const TIMEOUT_MS = 10 * 60_000;

interface Result {
  database: string;
  stored: number;
  executions: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  statementsPerExecution: number | undefined;
  postgresCpuMs: number | undefined;
  nodeCpuMs: number;
  /** pg_stat_statements of the measured run, when the server preloads it. */
  serverStatements: ServerStatement[] | undefined;
}

/** The HTTP request node's peer: answers every POST with a small JSON body. */
async function startSink() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts the instance and resolves with its address once it is ready. */
function startInstance(sinkUrl: string, databaseUrl: string | undefined) {
  const child = fork(fileURLToPath(new URL("./instance.ts", import.meta.url)), {
    execArgv: [
      "--import",
      "tsx",
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the instance, to see where its time goes.
      ...(process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    env: { ...process.env, BENCH_SINK_URL: sinkUrl, BENCH_DATABASE_URL: databaseUrl ?? "" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    child.on("message", (message: ReadyMessage | DoneMessage) => {
      if (message.type === "ready") resolve(message);
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return { child, ready };
}

function stopInstance(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.send({ type: "stop" });
  });
}

/** Runs `total` executions with CONCURRENCY clients; resolves with each one's latency. */
async function drive(child: ChildProcess, ready: ReadyMessage, total: number, offset: number) {
  const hookUrl = `${ready.url}/hooks/${ready.workflowId}/${ready.secret}`;
  // Statements the instance had sent by its latest report (cumulative since it started).
  let queries = 0;
  const waiting = new Map<string, (done: { status: string; finishedAt: number }) => void>();
  const onMessage = (message: ReadyMessage | DoneMessage) => {
    if (message.type !== "done") return;
    queries = message.queries;
    for (const execution of message.executions) {
      waiting.get(execution.id)?.(execution);
      waiting.delete(execution.id);
    }
  };
  child.on("message", onMessage);
  // Registered before the instance can report it: the watch message is sent just before.
  const whenDone = (id: string) =>
    new Promise<{ status: string; finishedAt: number }>((resolve) => waiting.set(id, resolve));

  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < total) {
      const n = offset + next++;
      const sentAt = Date.now();
      const response = await fetch(hookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ orderId: `o-${n}`, amount: n % 1000, customer: { id: n } }),
      });
      if (response.status !== 202) {
        throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
      }
      const { executionId } = (await response.json()) as { executionId: string };
      child.send({ type: "watch", id: executionId });
      const done = await whenDone(executionId);
      if (done.status !== "succeeded") throw new Error(`execution ${executionId}: ${done.status}`);
      latencies.push(done.finishedAt - sentAt);
    }
  };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("benchmark timed out")), TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: CONCURRENCY }, client)), timeout]);
  } finally {
    clearTimeout(timer);
    child.off("message", onMessage);
  }
  return {
    seconds: (performance.now() - started) / 1000,
    latencies,
    /** cumulative: the statements of this run are the difference with the previous run's */
    queries,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** A fresh database on the server: its URL and name, and how to drop it. */
async function freshDatabase() {
  const name = `fluxo_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return { url: url.toString(), name, admin, drop };
}

/** One row: a fresh instance on a fresh database holding `stored` executions. */
async function benchRow(database: "postgres" | "pglite", stored: number, sinkUrl: string) {
  const fresh = database === "postgres" ? await freshDatabase() : undefined;
  const { child, ready } = startInstance(sinkUrl, fresh?.url);
  try {
    const instance = await ready;
    if (fresh) await seedHistory(fresh.url, instance, stored);
    const warmup = WARMUP > 0 ? await drive(child, instance, WARMUP, 0) : { queries: 0 };
    const server = fresh && (await serverStatements(fresh.admin, fresh.name));
    const postgres = fresh && postgresCpu(fresh.admin, fresh.name);
    const node = nodeCpu(child.pid ?? 0);
    const { seconds, latencies, queries } = await drive(child, instance, EXECUTIONS, WARMUP);
    const postgresMs = await postgres?.stop();
    const nodeMs = await node.stop();
    const statements = await server?.read();
    latencies.sort((a, b) => a - b);
    const result: Result = {
      database: fresh ? "PostgreSQL" : "PGlite (in memory)",
      stored,
      executions: EXECUTIONS,
      seconds,
      perSecond: EXECUTIONS / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      statementsPerExecution: fresh ? (queries - warmup.queries) / EXECUTIONS : undefined,
      postgresCpuMs: postgresMs === undefined ? undefined : postgresMs / EXECUTIONS,
      nodeCpuMs: nodeMs / EXECUTIONS,
      serverStatements: statements,
    };
    return result;
  } finally {
    await stopInstance(child);
    await fresh?.drop();
  }
}

function printTable(results: Result[]) {
  const empty = results.find((r) => r.database === "PostgreSQL" && r.stored === 0);
  const optional = (value: number | undefined, digits: number) =>
    value === undefined ? "–" : value.toFixed(digits);
  printRows(
    [
      "database",
      "stored executions",
      "executions/s",
      "vs empty",
      "p50 ms",
      "p99 ms",
      "statements/execution",
      "PostgreSQL CPU ms/execution",
      "Node CPU ms/execution",
    ],
    results.map((r) => [
      r.database,
      r.stored.toLocaleString("en"),
      r.perSecond.toFixed(1),
      empty && r.database === "PostgreSQL"
        ? `${((r.perSecond / empty.perSecond) * 100).toFixed(0)} %`
        : "–",
      r.p50.toFixed(0),
      r.p99.toFixed(0),
      optional(r.statementsPerExecution, 1),
      optional(r.postgresCpuMs, 2),
      r.nodeCpuMs.toFixed(2),
    ]),
  );
}

/** Where PostgreSQL's time went, per the server: the statements that took most of it. */
function printServerStatements(result: Result) {
  const statements = result.serverStatements;
  if (!statements) return;
  const total = statements.reduce((sum, s) => sum + s.totalMs, 0);
  console.log(
    `\npg_stat_statements at ${result.stored.toLocaleString("en")} stored: ${(total / result.executions).toFixed(2)} ms of statement execution per execution; the ${SERVER_TOP} largest\n`,
  );
  printRows(
    ["statement", "calls/execution", "mean ms", "share of time"],
    statements
      .slice(0, SERVER_TOP)
      .map((s) => [
        s.query.slice(0, 90),
        (s.calls / result.executions).toFixed(2),
        s.meanMs.toFixed(3),
        `${((s.totalMs / total) * 100).toFixed(1)} %`,
      ]),
  );
}

function printCost(rows: CostRow[]) {
  const base = rows[0];
  printRows(
    [
      "expressions evaluated",
      "p50 µs/execution",
      `executions/s (${CONCURRENCY} at once)`,
      "vs in-thread",
    ],
    rows.map((r) => [
      r.mode,
      r.p50Us.toFixed(0),
      r.perSecond.toFixed(0),
      base ? `${(r.perSecond / base.perSecond).toFixed(2)}×` : "–",
    ]),
  );
}

function printRows(header: string[], rows: string[][]) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
  );
  for (const row of rows) console.log(line(row));
}

async function main() {
  const sink = await startSink();
  const results: Result[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  const rows = [
    ...STORED.map((stored) => ["postgres", stored] as const),
    ...(PGLITE ? [["pglite", 0] as const] : []),
  ];
  try {
    for (const [database, stored] of rows) {
      console.error(
        `${database}, ${stored} stored: ${WARMUP} warm-up + ${EXECUTIONS} executions, ${CONCURRENCY} clients…`,
      );
      results.push(await benchRow(database, stored, sink.url));
    }
  } finally {
    await sink.close();
  }
  console.log(
    `\nwebhook → transform → HTTP request (sink on loopback); one instance, ${CONCURRENCY} clients in a closed loop, ${EXECUTIONS} executions per row; load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after\n`,
  );
  printTable(results);
  for (const result of results) printServerStatements(result);
  if (results.some((r) => r.database === "PostgreSQL" && !r.serverStatements)) {
    console.log(
      "\n(pg_stat_statements: not preloaded by this server; see DEVELOPERS.md to see its statements)",
    );
  }
  if (EXPRESSION_ROUNDS > 0) {
    console.error(`expression evaluation: ${EXPRESSION_ROUNDS} executions' worth, each way…`);
    const cost = await measureExpressionCost(EXPRESSION_ROUNDS, CONCURRENCY);
    console.log(`\none execution's expressions (transform fields, then the request body)\n`);
    printCost(cost);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
