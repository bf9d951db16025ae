import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../src/server/web-build.ts";

/** `npm start` as a user runs it: the real CLI, embedded database, a data directory. */
const dataDir = mkdtempSync(join(tmpdir(), "fluxo-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// `serve` builds a stale web bundle before it listens; build it here, outside the start timeout.
beforeAll(() => ensureWebBuild(), 120_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

// Vitest sets BASE_URL=/ for Vite; the children must see a user's environment, not the runner's.
const { DATABASE_URL: _db, BASE_URL: _base, ...userEnv } = process.env;
const fluxoEnv = (port: number, more: NodeJS.ProcessEnv = {}) => ({
  ...userEnv,
  NODE_ENV: "development",
  PORT: String(port),
  FLUXO_DATA_DIR: dataDir,
  ...more,
});

function collectOutput(child: ChildProcess) {
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  return () => output;
}

/** Servers run in their own process group (`detached`): npm's child is the real server. */
function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Waits for the server to listen (a minute: CI runs this beside other test files). */
async function untilListening(child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (!output().includes("listening") && child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // a server that never came up must not keep the data directory from the next test
  if (!output().includes("listening")) killGroup(child);
  expect(output()).toContain("listening");
}

/** `npm start`, as a user, a container or a process manager runs it. */
async function startFluxo(port: number) {
  const child = spawn("npm", ["start"], {
    env: fluxoEnv(port),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = collectOutput(child);
  await untilListening(child, output);
  return { child, output };
}

/** A `fluxo` command run to its end: its exit code and what it wrote to stderr. */
function fluxo(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn("node", ["--import", "tsx", "src/cli/fluxo.ts", ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stderr })),
  );
}

/** A start-up failure states its cause on one line, without a stack. */
function expectOneLine(result: { code: number | null; stderr: string }, cause: string) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(cause)]);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

const refusesConnections = (port: number) =>
  fetch(`http://127.0.0.1:${port}/readyz`).then(
    () => false,
    () => true,
  );

describe("the server process", { timeout: 180_000 }, () => {
  it("keeps data across restarts, and SIGTERM to `npm start` drains in-flight requests and stops the server", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: object) =>
      fetch(`${base}/api/auth/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: `http://localhost:${port}` },
        body: JSON.stringify(body),
      });
    const credentials = { email: "persist@example.com", password: "correct horse battery" };

    /**
     * A sign-up sent in two halves: the server has started on the request (headers read)
     * when SIGTERM arrives, and the rest of the body follows only afterwards.
     */
    function signUpInTwoHalves() {
      const body = JSON.stringify({ ...credentials, name: "P" });
      const req = request(`${base}/api/auth/sign-up/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          origin: `http://localhost:${port}`,
        },
      });
      const status = new Promise<number | undefined>((resolve, reject) => {
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on("error", reject);
      });
      req.write(body.slice(0, 10));
      return { status, finish: () => req.end(body.slice(10)) };
    }

    const first = await startFluxo(port);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const inFlight = signUpInTwoHalves();
    await new Promise((r) => setTimeout(r, 300));
    const code = exited(first.child);
    first.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    inFlight.finish();
    expect(await inFlight.status).toBe(200);
    expect(await code).toBe(0);
    expect(first.output()).toContain("stopped cleanly");
    expect(await refusesConnections(port)).toBe(true);

    const secretFile = join(dataDir, "secrets", "auth-secret");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    const second = await startFluxo(port);
    try {
      // The account from the first run is still there: the right password reaches the
      // "verify your e-mail first" answer, where an unknown account gets 401.
      expect((await post("sign-in/email", credentials)).status).toBe(403);
      expect(
        (await post("sign-in/email", { ...credentials, email: "nobody@example.com" })).status,
      ).toBe(401);
      expect(second.output()).not.toContain("generated a development");
    } finally {
      const done = exited(second.child);
      second.child.kill("SIGTERM");
      expect(await done).toBe(0);
    }
  });

  it("holds its data directory alone: a second server, migrate and vault rotate refuse while it serves", async () => {
    const port = await freePort();
    const first = await startFluxo(port);
    const otherDir = mkdtempSync(join(tmpdir(), "fluxo-process-"));
    try {
      const [second, migrate, rotate, portTaken] = await Promise.all([
        fluxo(["serve"], fluxoEnv(await freePort())),
        fluxo(["migrate"], fluxoEnv(port)),
        fluxo(["vault", "rotate"], fluxoEnv(port)),
        fluxo(["serve"], fluxoEnv(port, { FLUXO_DATA_DIR: otherDir })),
      ]);
      expectOneLine(
        second,
        `the embedded database in ${dataDir} is in use by another Fluxo process`,
      );
      expectOneLine(migrate, "is in use by another Fluxo process");
      expectOneLine(rotate, "is in use by another Fluxo process");
      expectOneLine(portTaken, `port ${port} on 127.0.0.1 is already in use`);
      // The refused processes took nothing from the first on their way out.
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expectOneLine(await fluxo(["vault", "rotate"], fluxoEnv(port)), "is in use");
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
      const done = exited(first.child);
      first.child.kill("SIGTERM");
      expect(await done).toBe(0);
    }
  });

  it("lets the data directory go when its holder is killed outright", async () => {
    const port = await freePort();
    const server = spawn("node", ["--import", "tsx", "src/cli/fluxo.ts", "serve"], {
      env: fluxoEnv(port),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    await untilListening(server, collectOutput(server));
    const gone = exited(server);
    server.kill("SIGKILL");
    await gone;
    expect((await fluxo(["migrate"], fluxoEnv(port))).code).toBe(0);
  });
});

describe("start-up errors", () => {
  it("names an unreachable database on one line", async () => {
    const closed = await freePort();
    const url = `postgres://fluxo:hunter2@127.0.0.1:${closed}/fluxo`;
    const result = await fluxo(["serve"], fluxoEnv(await freePort(), { DATABASE_URL: url }));
    expectOneLine(result, `cannot reach the database 127.0.0.1:${closed}/fluxo: ECONNREFUSED`);
    expect(result.stderr).not.toContain("hunter2");
  });

  it.runIf(process.env.DATABASE_URL)(
    "names a database that does not exist on one line",
    async () => {
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = "/does_not_exist_xyz";
      const result = await fluxo(["serve"], fluxoEnv(await freePort(), { DATABASE_URL: url.href }));
      expectOneLine(result, 'database "does_not_exist_xyz" does not exist');
    },
  );
});
