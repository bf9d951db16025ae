/**
 * `npm run bench:api [-- --pglite]`: what API key authentication costs on `GET /api/v1/reviews`.
 *
 * - The instance runs in a child process (`bench/api-instance.ts`) with an organization, one
 *   API key (reviews:read) and BENCH_REVIEWS reviews (default 200). It serves the real app,
 *   and the same REST handlers behind a fixed key context (no authentication) on a second port.
 * - Load: autocannon from this process, BENCH_CONNECTIONS connections (default 32), first a
 *   warm-up of both, then BENCH_SECONDS (default 10) on each, split into BENCH_ROUNDS
 *   (default 10) rounds that alternate between the two; req/s, p50 and p99 latency over all
 *   responses, and the statements sent to PostgreSQL per request.
 * - Goal: authenticated throughput ≥ 0.85 × unauthenticated.
 * - Writes in steady state: rows inserted/updated/deleted in Fluxo's tables
 *   (pg_stat_user_tables) across the measured rounds, read after the statistics have
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PGLITE = process.argv.includes("--pglite");
/** Longer than PostgreSQL's idle statistics flush (10 s), so the counters include every write. */
const STATS_SETTLE_MS = 11_000;
const PATH = "/api/v1/reviews?limit=50";

/** What one kind of request added up to over its rounds. */
interface Tally {
  requests: number;
  seconds: number;
  queries: number;
  latencies: number[];
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

/** One round of load on `url`, added to `tally` (latency of every response, in ms). */
function load(url: string, key: string, seconds: number, tally?: Tally) {
  return new Promise<void>((resolve, reject) => {
    const run = autocannon(
      {
        url: `${url}${PATH}`,
        headers: { authorization: `Bearer ${key}` },
        connections: CONNECTIONS,
        duration: seconds,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error);
        const failed = result.non2xx + result.errors + result.timeouts;
        if (failed > 0) {
          return reject(new Error(`${url}: ${failed} of ${result.requests.total} requests failed`));
        }
        if (tally) {
          tally.requests += result.requests.total;
          tally.seconds += result.duration;
        }
        resolve();
      },
    );
    // autocannon emits (client, status, bytes, ms); its type declaration omits the client
    if (tally) run.on("response", (...args: unknown[]) => tally.latencies.push(Number(args[3])));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

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

    // Alternating rounds (A B B A …): a neighbour's load on the machine hits both alike.
    const withKey: Tally = { requests: 0, seconds: 0, queries: 0, latencies: [] };
    const withoutKey: Tally = { requests: 0, seconds: 0, queries: 0, latencies: [] };
    await sleep(STATS_SETTLE_MS);
    const start = await instance.counters();
    let sent = start.queries;
    for (let round = 0; round < ROUNDS * 2; round++) {
      const keyed = round % 4 === 0 || round % 4 === 3;
      const tally = keyed ? withKey : withoutKey;
      await load(keyed ? authenticated : open, key, SECONDS / ROUNDS, tally);
      const { queries } = await instance.counters();
      tally.queries += queries - sent - 1; // less the counters query itself
      sent = queries;
    }
    await sleep(STATS_SETTLE_MS);
    const end = await instance.counters();

    const row = (name: string, tally: Tally) => {
      const sorted = tally.latencies.sort((a, b) => a - b);
      const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`.padStart(9);
      const queries = PGLITE ? "–" : (tally.queries / tally.requests).toFixed(2);
      const perSecond = (tally.requests / tally.seconds).toFixed(0);
      return `| ${name.padEnd(26)} | ${perSecond.padStart(6)} | ${ms(50)} | ${ms(99)} | ${queries.padStart(7)} |`;
    };
    const rate = (tally: Tally) => tally.requests / tally.seconds;
    const ratio = rate(withKey) / rate(withoutKey);
    const writes = end.writes - start.writes;
    console.log(
      [
        "",
        `GET ${PATH} — ${PGLITE ? "PGlite (in memory)" : "PostgreSQL"}, ${CONNECTIONS} connections, ` +
          `${SECONDS} s each in ${ROUNDS} alternating rounds`,
        "",
        "| run                        |  req/s |       p50 |       p99 | queries |",
        "| -------------------------- | -----: | --------: | --------: | ------: |",
        row("API key (bearer)", withKey),
        row("fixed context (no auth)", withoutKey),
        "",
        `throughput ratio authenticated / unauthenticated: ${ratio.toFixed(2)} (goal ≥ 0.85) ${ratio >= 0.85 ? "✓" : "✗"}`,
        `row writes while measuring: ${writes} in ${withKey.requests + withoutKey.requests} requests ` +
          `(${(writes / withKey.requests).toFixed(4)} per authenticated request); ` +
          `api_key last-used writes: ${end.apiKeyWrites - start.apiKeyWrites}`,
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
