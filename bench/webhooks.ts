/**
 * `npm run bench:webhooks`: signed webhook deliveries per second on PostgreSQL, every attempt
 * persisted, to a local receiver in its own process (`bench/webhook-receiver.ts`).
 *
 * - This process is the instance: it emits BENCH_EVENTS events through `emitWebhookEvent`
 *   (each in its own tenant transaction, BENCH_EMITTERS at a time, as deciding reviews would)
 *   while the delivery worker runs — the real path: job → read delivery → sign → POST through
 *   the outbound guard → record attempt and delivery state.
 * - Throughput = events / (first emit → last delivery received). Latency = the moment the
 *   receiver got a delivery − the commit of the transaction that emitted it (one machine clock).
 * - Statements: everything this process sent to PostgreSQL (emission, pg-boss, delivery), per
 *   delivery.
 *
 * Environment: DATABASE_URL (server, default postgres://postgres@127.0.0.1:5432/test; a fresh
 * database is created and dropped), BENCH_EVENTS (5000), BENCH_WARMUP (500), BENCH_EMITTERS (8),
 * BENCH_BATCH (worker fetch size, 50), BENCH_WORKERS (fetch loops, 4).
 */

import { type ChildProcess, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { organization, webhookEndpoint } from "../src/db/schema/index.ts";
import { withTenant } from "../src/db/tenant.ts";
import { createQueue } from "../src/jobs/queue.ts";
import { createLogger } from "../src/lib/logger.ts";
import { parseKeyring } from "../src/modules/vault/keyring.ts";
import { emitWebhookEvent } from "../src/modules/webhooks/events.ts";
import { WEBHOOK_QUEUES } from "../src/modules/webhooks/jobs.ts";
import { generateWebhookSecret, sealWebhookSecret } from "../src/modules/webhooks/secrets.ts";
import { startWebhookWorker } from "../src/modules/webhooks/worker.ts";
import { parseAllowlist } from "../src/net/allowlist.ts";
import { createOutbound } from "../src/net/outbound.ts";
import { countStatements } from "./statements.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const EMITTERS = Number(process.env.BENCH_EMITTERS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const statements = countStatements();

async function withFreshDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `fluxo_bench_webhooks_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function startReceiver(secret: string) {
  const child = fork(fileURLToPath(new URL("./webhook-receiver.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_WEBHOOK_SECRET: secret },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const received = new Map<string, number>();
  let badSignatures = 0;
  const ready = new Promise<string>((resolve) => {
    child.on(
      "message",
      (m: {
        type: string;
        url?: string;
        deliveries?: { id: string; at: number }[];
        badSignatures?: number;
      }) => {
        if (m.type === "ready" && m.url) resolve(m.url);
        for (const d of m.deliveries ?? []) received.set(d.id, d.at);
        badSignatures = m.badSignatures ?? badSignatures;
      },
    );
  });
  return { child, ready, received, badSignatures: () => badSignatures };
}

async function main() {
  await withFreshDatabase(async (databaseUrl) => {
    const database = await openDatabase({ databaseUrl, dataDir: null });
    await runMigrations(database);
    const logger = createLogger("warn", new Writable({ write: (_c, _e, done) => done() }));
    const queue = await createQueue(database, {
      onError: (e) => console.error(e),
      queues: WEBHOOK_QUEUES,
    });
    const keyring = parseKeyring({ key: Buffer.alloc(32, 9).toString("base64") });
    const secret = generateWebhookSecret();
    const receiver = startReceiver(secret);
    const url = await receiver.ready;

    const orgId = randomUUID();
    const endpointId = randomUUID();
    await database.db
      .insert(organization)
      .values({ id: orgId, name: "Bench", slug: `bench-${orgId}` });
    await database.db.insert(webhookEndpoint).values({
      id: endpointId,
      organizationId: orgId,
      url,
      eventTypes: ["review.approved"],
      secretEnvelope: sealWebhookSecret(keyring, { orgId, endpointId }, secret),
    });

    const outbound = createOutbound({ allow: parseAllowlist("127.0.0.1:*") });
    const emitted = new Map<string, number>();
    const emit = async (total: number) => {
      let next = 0;
      const emitter = async () => {
        while (next < total) {
          next++;
          const ids = await withTenant(database.db, orgId, (tx) =>
            emitWebhookEvent(tx, queue, {
              orgId,
              type: "review.approved",
              data: { review_id: randomUUID(), decision: "approved", channel: "api", by: "bench" },
            }),
          );
          const at = Date.now();
          for (const id of ids) emitted.set(id, at);
        }
      };
      await Promise.all(Array.from({ length: EMITTERS }, emitter));
    };
    const allReceived = async (count: number) => {
      while (receiver.received.size < count) await new Promise((r) => setTimeout(r, 10));
    };
    const rows: Record<string, unknown>[] = [];
    const measure = async (mode: string, body: () => Promise<number>) => {
      emitted.clear();
      receiver.received.clear();
      const statementsBefore = statements();
      const started = await body();
      const seconds = (Math.max(...receiver.received.values()) - started) / 1000;
      const latencies = [...receiver.received]
        .map(([id, at]) => at - (emitted.get(id) ?? at))
        .sort((a, b) => a - b);
      const pct = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
      rows.push({
        mode,
        deliveries: EVENTS,
        "deliveries/s": Math.round(EVENTS / seconds),
        "p50 ms event→received": pct(0.5),
        "p99 ms": pct(0.99),
        "statements/delivery": ((statements() - statementsBefore) / EVENTS).toFixed(1),
      });
    };

    // 1. Delivery alone: a backlog of EVENTS deliveries, then the worker starts and drains it.
    await measure("drain a backlog (delivery only)", async () => {
      await emit(EVENTS);
      const started = Date.now();
      await startWebhookWorker({ db: database.db, keyring, outbound, logger, queue }, queue, {
        batchSize: BATCH,
        concurrency: WORKERS,
      });
      await allReceived(EVENTS);
      return started;
    });
    // 2. Steady state: events emitted while the worker delivers (both in this process).
    await emit(WARMUP);
    await allReceived(WARMUP);
    await measure("emit while delivering", async () => {
      const started = Date.now();
      await emit(EVENTS);
      await allReceived(EVENTS);
      return started;
    });

    await new Promise((r) => setTimeout(r, 500)); // let the last attempts commit
    const result = (await database.db.execute(
      sql`select count(*)::int as attempts from webhook_attempt`,
    )) as unknown as { rows: { attempts: number }[] };
    const [counted] = result.rows;
    console.table(rows);
    console.log(
      `attempts persisted: ${counted?.attempts} of ${2 * EVENTS + WARMUP} deliveries; ` +
        `sampled signatures failing standardwebhooks: ${receiver.badSignatures()}`,
    );

    receiver.child.send("stop");
    await queue.stop({ graceful: true, timeoutMs: 5_000 });
    await database.close();
    await waitExit(receiver.child);
  });
}

const waitExit = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null ? resolve() : child.once("exit", () => resolve()),
  );

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
