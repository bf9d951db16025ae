import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../src/server/app.ts";
import { ensureWebBuild } from "../src/server/web-build.ts";
import type { TestApp } from "./helpers/app.ts";
import { TestClient } from "./helpers/client.ts";
import { startSmtpServer } from "./helpers/smtp.ts";
import { signedInUser } from "./helpers/users.ts";
import { stepOf, waitForExecution, workflowWith } from "./workflows/harness.ts";

/**
 * `kill -9` of the server while a node waits on a slow HTTP call, then a new server on the
 * same database: the execution must not wait for the dead process's job to expire.
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
  for (let i = 0; i < 600 && !output.includes("listening") && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(output).toContain("listening");
  const group = -(child.pid ?? 0);
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

describe("an execution interrupted by kill -9", () => {
  it("resumes on the restarted server within 30 s, its node retried per its policy", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const slow = await startSlowService();
    // TestClient over real HTTP: the same calls, against the child process.
    const remote = { request: (url: string, init: RequestInit) => fetch(url, init) };
    const t = {
      smtp,
      client: () => new TestClient(remote as unknown as App, "127.0.0.1", base),
    } as unknown as TestApp;

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
      const dead = exited(first.child);
      first.kill("SIGKILL");
      await dead;

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
      if (second) {
        const stopped = exited(second.child);
        second.kill("SIGTERM");
        await stopped;
      }
      await slow.close();
    }
  }, 150_000);
});
