/**
 * `npm run bench:api [-- --pglite]`: what API key authentication costs on `GET /api/v1/reviews`.
 *
 * - The instance runs in a child process (`bench/api-instance.ts`) with an organization, one
 *   API key (reviews:read) and BENCH_REVIEWS reviews (default 200). It serves the real app,
 *   and the same REST handlers behind a fixed key context (no authentication) on a second port.
 * - Load: autocannon from this process, BENCH_CONNECTIONS connections (default 32), first a
 *   warm-up of both, then BENCH_SECONDS (default 10) on each; req/s, p50 and p99 latency, and
 *   the statements sent to PostgreSQL per request.
 * - Goal: authenticated throughput ≥ 0.85 × unauthenticated.
 * - Writes per request in steady state: rows inserted/updated/deleted in Fluxo's tables
 *   (pg_stat_user_tables) across the authenticated run, read after the statistics have
 *   settled; api_key (the batched last-used write) is shown apart.
 * - Database: a fresh database on the server of DATABASE_URL
 *   (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards; `--pglite`: in memory.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import type { CountersMessage, ReadyMessage } from "./api-instance.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PGLITE = process.argv.includes("--pglite");
/** Longer than PostgreSQL's idle statistics flush (10 s), so the counters include every write. */
const STATS_SETTLE_MS = 11_000;
const PATH = "/api/v1/reviews?limit=50";

interface Run {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function createDatabase() {
  const name = `fluxo_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: SERVER_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

function startInstance(databaseUrl: string | undefined) {
  const child = fork(fileURLToPath(new URL("./api-instance.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? "" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`))),
  );
  const next = <T extends { type: string }>(type: T["type"]) =>
    Promise.race([
      exited,
      new Promise<T>((resolve) => {
        const onMessage = (message: T) => {
          if (message.type !== type) return;
          child.off("message", onMessage);
          resolve(message);
        };
        child.on("message", onMessage);
      }),
    ]);
  return {
    ready: next<ReadyMessage>("ready"),
    async counters() {
      const answer = next<CountersMessage>("counters");
      child.send({ type: "counters" });
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
      }),
  };
}

async function load(url: string, key: string, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: `${url}${PATH}`,
    headers: { authorization: `Bearer ${key}` },
    connections: CONNECTIONS,
    duration: seconds,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed`);
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const database = PGLITE ? undefined : await createDatabase();
  const instance = startInstance(database?.url);
  try {
    const { authenticated, open, key } = await instance.ready;
    const check = await fetch(`${authenticated}${PATH}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const page = (await check.json()) as { data?: unknown[] };
    if (check.status !== 200 || page.data?.length !== 50) {
      throw new Error(`GET ${PATH} answered ${check.status} with ${page.data?.length} reviews`);
    }

    await load(authenticated, key, WARMUP_SECONDS);
    await load(open, key, WARMUP_SECONDS);
    const openStart = await instance.counters();
    const unauthenticated = await load(open, key, SECONDS);
    const openEnd = await instance.counters();
    await sleep(STATS_SETTLE_MS);
    const keyStart = await instance.counters();
    const withKey = await load(authenticated, key, SECONDS);
    const keyEnd = await instance.counters();
    await sleep(STATS_SETTLE_MS);
    const settled = await instance.counters();

    const perRequest = (n: number, run: Run) => (n / run.requests).toFixed(2);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const row = (name: string, run: Run, queries: number) =>
      `| ${name.padEnd(28)} | ${run.perSecond.toFixed(0).padStart(6)} | ${ms(run.p50).padStart(9)} | ${ms(run.p99).padStart(9)} | ${PGLITE ? "      –" : perRequest(queries, run).padStart(7)} |`;
    const ratio = withKey.perSecond / unauthenticated.perSecond;
    const writes = settled.writes - keyStart.writes;
    console.log(
      [
        "",
        `GET ${PATH} — ${PGLITE ? "PGlite (in memory)" : "PostgreSQL"}, ${CONNECTIONS} connections, ${SECONDS} s each`,
        "",
        "| run                          |  req/s |       p50 |       p99 | queries |",
        "| ---------------------------- | -----: | --------: | --------: | ------: |",
        row("API key (bearer)", withKey, keyEnd.queries - keyStart.queries),
        row("fixed context (no auth)", unauthenticated, openEnd.queries - openStart.queries),
        "",
        `throughput ratio authenticated / unauthenticated: ${ratio.toFixed(2)} (goal ≥ 0.85) ${ratio >= 0.85 ? "✓" : "✗"}`,
        `writes per request (authenticated run, ${withKey.requests} requests): ${(writes / withKey.requests).toFixed(4)} ` +
          `(${writes} rows; + ${settled.apiKeyWrites - keyStart.apiKeyWrites} last-used write(s) on api_key)`,
      ].join("\n"),
    );
  } finally {
    await instance.stop();
    await database?.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
