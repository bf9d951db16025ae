import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.ts";
import { EmbeddedDatabaseInUse } from "../src/db/embedded-lock.ts";
import type { App } from "../src/server/app.ts";
import { ensureWebBuild } from "../src/server/web-build.ts";
import type { TestApp } from "./helpers/app.ts";
import { TestClient } from "./helpers/client.ts";
import { startSmtpServer } from "./helpers/smtp.ts";
import { signedInUser } from "./helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "./workflows/harness.ts";

/**
 * `kill -9` of the server while it is in the middle of work (a node's slow HTTP call, a webhook
 * delivery, a review's expiry), then a new server on the same database: the work must not wait
 * for the dead process's job to expire.
 */
const dataDir = mkdtempSync(join(tmpdir(), "fluxo-crash-"));
let databaseUrl: string | undefined;
let dropDatabase = async () => {};
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  // On a PostgreSQL server when DATABASE_URL is set (a fresh database), else embedded PGlite.
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `fluxo_crash_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  }
  // `serve` builds a stale web bundle before it listens; build it here, outside the start timeout.
  await ensureWebBuild();
}, 120_000);
afterAll(async () => {
  await smtp?.close();
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function startFluxo(port: number) {
  // Vitest sets BASE_URL=/ for Vite; the child must see a user's environment, not the runner's.
  const { DATABASE_URL: _db, BASE_URL: _base, ...env } = process.env;
  const child = spawn("node_modules/.bin/tsx", ["src/cli/fluxo.ts", "serve"], {
    env: {
      ...env,
      NODE_ENV: "development",
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      FLUXO_DATA_DIR: dataDir,
      FLUXO_IN_PROCESS_WORKER: "true",
      FLUXO_OUTBOUND_ALLOW: "127.0.0.1:*",
      SMTP_URL: smtp.url,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
    // its own process group: tsx runs the server in a child process, and kill -9 must reach it
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const group = -(child.pid ?? 0);
  // a loaded machine may take a while to start it
  for (let i = 0; i < 1800 && !output.includes("listening") && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // one that did not start must not hold the database for the next test
  if (!output.includes("listening") && child.exitCode === null) process.kill(group, "SIGKILL");
  expect(output).toContain("listening");
  return {
    child,
    output: () => output,
    /** Stops the whole process group (tsx and the server under it), however `signal` says. */
    kill: (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(group, signal);
    },
  };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** A loopback service whose first /slow call never answers: the server dies waiting on it. */
async function startSlowService() {
  const calls: string[] = [];
  const hanging: ServerResponse[] = [];
  let arrived = () => {};
  const firstSlowCall = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((req, res) => {
    calls.push(req.url ?? "");
    req.resume();
    if (req.url === "/slow" && calls.filter((c) => c === "/slow").length === 1) {
      hanging.push(res);
      arrived();
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    firstSlowCall,
    close() {
      for (const res of hanging) res.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** TestClient over real HTTP: the same calls, against the child process on `port`. */
function remoteApp(port: number): TestApp {
  const remote = { request: (url: string, init: RequestInit) => fetch(url, init) };
  const base = `http://127.0.0.1:${port}`;
  return {
    smtp,
    client: () => new TestClient(remote as unknown as App, "127.0.0.1", base),
  } as unknown as TestApp;
}

/** Kills the server's process group with SIGKILL and waits until it is gone. */
async function killHard(server: Awaited<ReturnType<typeof startFluxo>>) {
  const dead = exited(server.child);
  server.kill("SIGKILL");
  await dead;
}

async function stopGently(server: Awaited<ReturnType<typeof startFluxo>> | undefined) {
  if (!server) return;
  const stopped = exited(server.child);
  server.kill("SIGTERM");
  await stopped;
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("an execution interrupted by kill -9", () => {
  it("resumes on the restarted server within 30 s, its node retried per its policy", async () => {
    const port = await freePort();
    const slow = await startSlowService();
    const t = remoteApp(port);

    const first = await startFluxo(port);
    let second: Awaited<ReturnType<typeof startFluxo>> | undefined;
    try {
      const owner = await signedInUser(t);
      await owner.mutate("orgs.create", { name: "Crash Org" });
      const wf = await workflowWith(owner, {
        nodes: [
          { id: "start", type: "manual_trigger" },
          {
            id: "call",
            type: "http_request",
            parameters: { url: `${slow.url}/slow` },
            timeoutMs: 60_000,
            retry: { attempts: 2, backoffMs: 0 },
          },
          { id: "after", type: "http_request", parameters: { url: `${slow.url}/after` } },
        ],
        edges: [
          { from: "start", to: "call" },
          { from: "call", to: "after" },
        ],
      });
      const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
        workflowId: wf.id,
      });

      await slow.firstSlowCall;
      await killHard(first);

      const restartedAt = Date.now();
      second = await startFluxo(port);
      const done = await waitForExecution(owner, executionId, ["succeeded", "failed"], 60_000);
      const finishedAt = Date.parse((done as unknown as { finishedAt: string }).finishedAt);
      expect(done.status).toBe("succeeded");
      expect(finishedAt - restartedAt).toBeLessThan(30_000);
      expect(stepOf(done, "call")?.attempt).toBe(2);
      expect(slow.calls).toEqual(["/slow", "/slow", "/after"]);
    } finally {
      first.kill("SIGKILL");
      await stopGently(second);
      await slow.close();
    }
  }, 300_000);
});

interface DeliveryView {
  status: string;
  history: { requestedAt: string; responseStatus: number | null }[];
}

describe("a webhook delivery interrupted by kill -9", () => {
  it("is attempted again, and its attempt recorded, within 30 s of the restart", async () => {
    const port = await freePort();
    const slow = await startSlowService();
    const first = await startFluxo(port);
    let second: Awaited<ReturnType<typeof startFluxo>> | undefined;
    try {
      const owner = await signedInUser(remoteApp(port));
      await owner.mutate("orgs.create", { name: "Delivery Crash Org" });
      const endpoint = await owner.mutate<{ id: string }>("webhooks.create", {
        url: `${slow.url}/slow`,
        eventTypes: ["review.created"],
      });
      await owner.mutate("reviews.request", { title: "Delivered twice", anyReviewer: true });

      await slow.firstSlowCall;
      await killHard(first);

      const restartedAt = Date.now();
      second = await startFluxo(port);
      const endpointId = endpoint.id;
      const delivered = await until(async () => {
        const page = await owner.query<{ items: { id: string }[] }>("webhookDeliveries.list", {
          endpointId,
        });
        const deliveryId = page.items[0]?.id;
        const detail = await owner.query<DeliveryView>("webhookDeliveries.get", {
          endpointId,
          deliveryId,
        });
        return detail.status === "succeeded" ? detail : undefined;
      }, 60_000);
      // the dead process's attempt left no record; the restarted one's is the first
      expect(delivered.history).toHaveLength(1);
      expect(delivered.history[0]?.responseStatus).toBe(200);
      const attemptedAt = Date.parse(delivered.history[0]?.requestedAt ?? "");
      expect(attemptedAt - restartedAt).toBeLessThan(30_000);
      expect(slow.calls).toEqual(["/slow", "/slow"]);
    } finally {
      first.kill("SIGKILL");
      await stopGently(second);
      await slow.close();
    }
  }, 300_000);
});

interface ReviewView {
  status: string;
  activity: { kind: string; at: string }[];
}

describe("a review whose expiry job was due or running at kill -9", () => {
  it("expires within 30 s of the restart", async () => {
    const port = await freePort();
    const first = await startFluxo(port);
    let second: Awaited<ReturnType<typeof startFluxo>> | undefined;
    try {
      const owner = await signedInUser(remoteApp(port));
      await owner.mutate("orgs.create", { name: "Expiry Crash Org" });
      const review = await owner.mutate<{ id: string }>("reviews.request", {
        title: "Nobody answers",
        anyReviewer: true,
        expiresInSeconds: 60,
      });

      if (databaseUrl) {
        // PostgreSQL: the review's row is locked here, so the expiry job, made due now, stays
        // running in the server (blocked on the lock) until the server is killed.
        await killWhileExpiryRuns(first, review.id);
      } else {
        // The embedded database cannot be opened beside the server: it dies first, and the
        // review and its expiry job are made due while it is down.
        await killHard(first);
        await makeDueWhileDown(review.id);
      }

      const restartedAt = Date.now();
      second = await startFluxo(port);
      const expiredAt = await until(async () => {
        const shown = await owner.query<ReviewView>("reviews.get", { reviewId: review.id });
        const expired = shown.activity.find((a) => a.kind === "expired");
        return expired ? Date.parse(expired.at) : undefined;
      }, 60_000);
      expect(expiredAt - restartedAt).toBeLessThan(30_000);
    } finally {
      first.kill("SIGKILL");
      await stopGently(second);
    }
  }, 300_000);
});

/** Makes the review and its expiry job due in the embedded database of a server that is down. */
async function makeDueWhileDown(reviewId: string) {
  // the killed server's process lets go of the database a moment after its group is gone
  const database = await until(
    () =>
      openDatabase({ dataDir }).catch((error: unknown) => {
        if (error instanceof EmbeddedDatabaseInUse) return undefined;
        throw error;
      }),
    10_000,
  );
  try {
    await database.db.execute(
      sql`update review_request set expires_at = now() - interval '1 second' where id = ${reviewId}`,
    );
    await database.db.execute(
      sql`update pgboss.job set start_after = now()
          where name = 'review.expire' and data->>'reviewId' = ${reviewId}`,
    );
  } finally {
    await database.close();
  }
}

/**
 * Holds the review's row (and makes it due) in a transaction of our own, makes its expiry job
 * due, waits until the server's worker has taken the job, kills the server, then lets go.
 */
async function killWhileExpiryRuns(
  server: Awaited<ReturnType<typeof startFluxo>>,
  reviewId: string,
) {
  const holder = new pg.Client({ connectionString: databaseUrl });
  const other = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await other.connect();
  try {
    await holder.query("begin");
    await holder.query(
      "update review_request set expires_at = now() - interval '1 second' where id = $1",
      [reviewId],
    );
    const job = `name = 'review.expire' and data->>'reviewId' = $1`;
    await other.query(`update pgboss.job set start_after = now() where ${job}`, [reviewId]);
    await until(async () => {
      const { rows } = await other.query(`select state from pgboss.job where ${job}`, [reviewId]);
      return rows[0]?.state === "active" ? true : undefined;
    }, 30_000);
    await killHard(server);
    await holder.query("commit");
  } finally {
    await holder.end();
    await other.end();
  }
}
