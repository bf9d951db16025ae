import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const pidFile = (dataDir: string) => join(resolve(dataDir), "server.pid");

/** Marks the embedded database as held by this process (removed again on shutdown). */
export function claimEmbeddedDatabase(dataDir: string): () => void {
  const file = pidFile(dataDir);
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** The pid of a live server holding the embedded database, if any. */
export function embeddedServerPid(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dataDir), "utf8"));
  } catch {
    return undefined;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a stale file from a process that is gone
  }
}
