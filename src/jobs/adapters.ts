import type { PGlite, Results } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { type Db as BossDb, fromDrizzle } from "pg-boss";
import type { Queryable } from "../db/client.ts";

type Rows = { rows: unknown[] };

/**
 * pg-boss on the app's PostgreSQL pool. `pool.query` behaves exactly like pg-boss's own pool: a
 * multi-statement text without parameters comes back as node-postgres's array of results (pg-boss
 * flattens it with its `unwrapSQLResult`), and a client whose statement failed — possibly inside
 * an explicit BEGIN — is discarded by pg-pool instead of being handed out again.
 */
export function poolDb(pool: pg.Pool): BossDb {
  return {
    executeSql: (text, values) => pool.query(text, values),
    listen: (channel, onNotification, onReconnect) =>
      listen(pool, channel, onNotification, onReconnect),
  };
}

/** Delay before reconnecting a lost listener: 1 s, doubling up to 30 s. */
const reconnectDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/**
 * pg-boss's LISTEN connection: one client of its own beside the pool (a listener holds its
 * session), so a job sent anywhere wakes this process's workers at once instead of at their
 * next poll. A lost connection is re-opened with backoff; `onReconnect` then makes every
 * worker fetch once, for the notifications missed meanwhile. Polling stays on as a backstop.
 */
async function listen(
  pool: pg.Pool,
  channel: string,
  onNotification: (payload: string) => void,
  onReconnect: () => void,
) {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let attempt = 0;
  const discard = (target: pg.Client) => {
    target.removeAllListeners();
    target.on("error", () => {}); // a late socket error on a discarded client is no news
    target.end().catch(() => {});
    if (client === target) client = undefined;
  };
  const reconnectLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(onReconnect, reconnectLater);
    }, reconnectDelay(attempt++));
  };
  const connect = async () => {
    const next = new pg.Client({ ...pool.options, keepAlive: true });
    const lost = () => {
      const wasCurrent = client === next;
      discard(next);
      if (wasCurrent) reconnectLater();
    };
    next.on("error", lost);
    next.on("end", lost);
    next.on("notification", (message) => onNotification(message.payload ?? ""));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      discard(next);
      throw error;
    }
    attempt = 0;
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      if (client) discard(client);
    },
  };
}

/**
 * pg-boss on embedded PGlite (one connection, serialised by PGlite's own mutex).
 *
 * - With parameters: one statement, extended protocol → `pglite.query`.
 * - Without: possibly several statements (schema creation, maintenance wrapped as
 *   `BEGIN; SELECT pg_advisory_xact_lock(…); …; COMMIT`) → `pglite.exec`, which returns one
 *   result per statement. pg-boss needs the rows of EVERY statement, not the last one (the
 *   maintenance claim asserts that the advisory lock's row is there), so they are flattened
 *   into one `{ rows }` — what pg-boss's `unwrapSQLResult` makes of node-postgres's array.
 * - A text with its own BEGIN runs inside `pglite.transaction`: if a statement fails, PGlite
 *   rolls back before releasing its mutex. A plain `exec` would leave the single session in an
 *   aborted transaction, and the next caller in line (often an app transaction) would fail.
 *   The nested BEGIN is only a warning; the text's COMMIT commits, PGlite's own is a no-op.
 */
export function pgliteDb(pglite: PGlite): BossDb {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return pglite.query(text, values);
      const results: Results[] = /^\s*BEGIN\b/i.test(text)
        ? await pglite.transaction((tx) => tx.exec(text))
        : await pglite.exec(text);
      if (results.length === 1 && results[0]) return results[0];
      return { rows: results.flatMap((r) => r.rows) } satisfies Rows;
    },
  };
}

/**
 * pg-boss statements inside an open drizzle transaction (either driver). pg-boss's own
 * `fromDrizzle` renders its `$n` text as drizzle `sql` with bound parameters, so the job insert
 * runs on the transaction's connection and commits or rolls back with it.
 */
export function transactionDb(tx: Queryable): BossDb {
  // Both drivers answer `execute` with an object carrying `rows`; drizzle types it as unknown.
  const execute = (query: unknown) => tx.execute(query as SQL) as Promise<Rows>;
  return fromDrizzle({ execute }, sql);
}
