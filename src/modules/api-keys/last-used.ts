import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";

/** A key's last use is written at most this often: lists show it to about a minute. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface LastUsedRecorder {
  /** Remembers a use in memory; never touches the database (it is on every request's path). */
  note(keyId: string, ip: string | undefined): void;
  /** Writes the uses that are due, in one statement. */
  flush(): Promise<void>;
  /** Stops the timer and writes everything still pending, due or not. */
  stop(): Promise<void>;
}

interface Use {
  at: Date;
  ip: string | undefined;
}

/**
 * Records when and from where each API key was last used, off the request path: uses gather
 * in memory and an unref'd timer writes them in one batched UPDATE, each key at most once a
 * minute. Runs as the connecting role, outside tenant RLS: like verification, it works
 * across organizations by key id (a key id comes from a verified key, never from input).
 * Errors are logged, never thrown into a request.
 */
export function createLastUsedRecorder(
  db: Db,
  options: { flushIntervalMs?: number; logger?: Logger; now?: () => number } = {},
): LastUsedRecorder {
  const now = options.now ?? Date.now;
  const pending = new Map<string, Use>();
  const lastWritten = new Map<string, number>();
  let running: Promise<void> = Promise.resolve();

  const due = (keyId: string, at: number, force: boolean) =>
    force ||
    at - (lastWritten.get(keyId) ?? Number.NEGATIVE_INFINITY) >= LAST_USED_WRITE_INTERVAL_MS;

  async function write(force: boolean): Promise<void> {
    const at = now();
    const batch = [...pending].filter(([keyId]) => due(keyId, at, force));
    if (batch.length === 0) return;
    for (const [keyId] of batch) {
      pending.delete(keyId);
      lastWritten.set(keyId, at);
    }
    // forget write times old enough not to hold anything back (bounded memory)
    for (const [keyId, written] of lastWritten) {
      if (at - written >= LAST_USED_WRITE_INTERVAL_MS) lastWritten.delete(keyId);
    }
    const rows = batch.map(
      ([keyId, use]) =>
        sql`(${keyId}, ${use.at.toISOString()}::timestamptz, ${use.ip ?? null}::text)`,
    );
    try {
      // never moves a key's last use backwards (another instance may have written a later one)
      await db.execute(sql`
        update api_key set last_used_at = v.at, last_used_ip = v.ip
        from (values ${sql.join(rows, sql`, `)}) as v(id, at, ip)
        where api_key.id = v.id and (api_key.last_used_at is null or api_key.last_used_at < v.at)`);
    } catch (error) {
      options.logger?.error({ err: error, keys: batch.length }, "recording API key use failed");
    }
  }

  const flushWith = (force: boolean) => {
    running = running.then(() => write(force));
    return running;
  };

  const timer = setInterval(() => void flushWith(false), options.flushIntervalMs ?? 15_000);
  timer.unref();

  return {
    note(keyId, ip) {
      pending.set(keyId, { at: new Date(now()), ip });
    },
    flush: () => flushWith(false),
    stop() {
      clearInterval(timer);
      return flushWith(true);
    },
  };
}
