import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { StartupError } from "../lib/startup-error.ts";

const SQLITE_BUSY = 5;

export class EmbeddedDatabaseInUse extends StartupError {
  constructor(readonly dataDir: string) {
    super(
      `the embedded database in ${dataDir} is in use by another Fluxo process; stop it first, or set DATABASE_URL to share a PostgreSQL database between processes`,
    );
  }
}

/**
 * Takes the embedded database of `dataDir` for this process; throws EmbeddedDatabaseInUse
 * when another process (or another open in this one) holds it. PGlite has no guard of its
 * own, and two processes on one data directory corrupt it.
 *
 * The lock is an exclusive SQLite transaction on `<dataDir>/pgdata.lock`, held open: SQLite
 * takes an OS record lock (fcntl on POSIX, LockFileEx on Windows) on the file, built into
 * Node, no addon. The kernel drops it when the holder dies however it dies (kill -9
 * included), so a stale lock never blocks a start, and a process that did not get it has
 * nothing it could remove. A pid file or a lock directory has neither property.
 */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const lock = new DatabaseSync(join(dataDir, "pgdata.lock"), { timeout: 0 });
  try {
    lock.exec("PRAGMA journal_mode=MEMORY"); // nothing is written: no journal file beside it
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if ((error as { errcode?: number }).errcode === SQLITE_BUSY) {
      throw new EmbeddedDatabaseInUse(dataDir);
    }
    throw error;
  }
  return () => lock.close();
}
