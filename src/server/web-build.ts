import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The web app's sources and its built bundle (served by `webAppRoutes`). */
export const WEB_ROOT = fileURLToPath(new URL("../../web/", import.meta.url));
export const WEB_DIST = join(WEB_ROOT, "dist");
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STAMP = ".source-hash";
const LOCK = join(WEB_ROOT, ".build-lock");
const STALE_LOCK_MS = 5 * 60_000;

/** Every input of the bundle: the app's sources, its build config and the locked dependencies. */
function sourceFiles(): string[] {
  const files = ["index.html", "vite.config.ts"].map((f) => join(WEB_ROOT, f));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(WEB_ROOT, "src"));
  files.push(join(PROJECT_ROOT, "package-lock.json"));
  return files.filter((f) => existsSync(f)).sort();
}

/** A digest of the sources: the bundle is fresh when its stamp holds the same one. */
export function webSourceHash(): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles()) {
    hash.update(file.slice(PROJECT_ROOT.length)).update("\0").update(readFileSync(file));
  }
  return hash.digest("hex");
}

function builtHash(): string | undefined {
  try {
    return readFileSync(join(WEB_DIST, STAMP), "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Builds `web/dist` when it is missing or older than the sources; a no-op (one hash of the
 * sources) when fresh. Concurrent callers (the server and test files) take turns on a lock
 * directory, and the new bundle replaces the old one in one rename.
 */
export async function ensureWebBuild(log: (message: string) => void = () => {}): Promise<boolean> {
  const wanted = webSourceHash();
  if (builtHash() === wanted) return false;
  await acquireLock();
  try {
    if (builtHash() === wanted) return false;
    log("building the web app (web/dist is missing or stale)");
    const outDir = join(WEB_ROOT, `.dist-${process.pid}`);
    await runViteBuild(outDir);
    await writeFile(join(outDir, STAMP), wanted);
    await rm(WEB_DIST, { recursive: true, force: true });
    await rename(outDir, WEB_DIST);
    return true;
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A build that died without releasing the lock must not block every later start.
      if (since > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** `vite build` in its own process: a production build whatever the caller's environment. */
function runViteBuild(outDir: string): Promise<void> {
  const vite = join(PROJECT_ROOT, "node_modules", "vite", "bin", "vite.js");
  const { NODE_ENV: _mode, BASE_URL: _base, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
      { cwd: WEB_ROOT, env: { ...env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`web app build failed (${code}):\n${output}`)),
    );
  });
}
