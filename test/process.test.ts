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

async function startFluxo(port: number) {
  // Vitest sets BASE_URL=/ for Vite; the child must see a user's environment, not the runner's.
  const { DATABASE_URL: _db, BASE_URL: _base, ...env } = process.env;
  const child = spawn("node_modules/.bin/tsx", ["src/cli/fluxo.ts", "serve"], {
    env: { ...env, NODE_ENV: "development", PORT: String(port), FLUXO_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  for (let i = 0; i < 300 && !output.includes("listening") && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(output).toContain("listening");
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("the server process", () => {
  it("keeps data across restarts and drains in-flight requests on SIGTERM", async () => {
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
});
