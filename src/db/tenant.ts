import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Db, Queryable, Tx } from "./client.ts";
import * as schema from "./schema/index.ts";

/**
 * Runs `fn` in a transaction as the non-superuser role `fluxo_app` with `app.org_id` set to
 * the organization: row-level security then hides every other tenant's rows, even from a
 * query that forgets its filter. Both settings end with the transaction. Given a transaction,
 * it runs in a savepoint of it, and the settings hold until that outer transaction ends.
 * With `orgLock`, the transaction first waits for the organization's advisory lock, held until
 * it ends: one such transaction per organization at a time (the engine's claims).
 */
export function withTenant<T>(
  db: Queryable,
  orgId: string,
  fn: (tx: Tx) => Promise<T>,
  options: { orgLock?: boolean } = {},
): Promise<T> {
  const pool = (db as unknown as { $client?: unknown }).$client;
  if (pool instanceof pg.Pool && SAFE_ORG_ID.test(orgId)) {
    return pooledTenant(pool, orgId, fn, options.orgLock === true);
  }
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'fluxo_app', true)`,
    );
    if (options.orgLock) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${orgId}))`);
    return fn(tx);
  });
}

/** Organization ids are UUIDs; only those may be written into SQL text (see below). */
const SAFE_ORG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const drizzleOf = new WeakMap<pg.PoolClient, Db>();

/**
 * On a PostgreSQL server, BEGIN, the two settings and the org's lock travel in one round trip
 * (a simple query may hold several statements but no parameters, hence the strict id check
 * above): one network exchange less for every tenant transaction, the engine's hottest path.
 */
async function pooledTenant<T>(
  pool: pg.Pool,
  orgId: string,
  fn: (tx: Tx) => Promise<T>,
  orgLock: boolean,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const lock = orgLock ? `; select pg_advisory_xact_lock(hashtext('${orgId}'))` : "";
    await client.query(
      `begin; select set_config('app.org_id', '${orgId}', true), set_config('role', 'fluxo_app', true)${lock}`,
    );
    let tx = drizzleOf.get(client);
    if (!tx) {
      tx = drizzle({ client, schema }) as unknown as Db;
      drizzleOf.set(client, tx);
    }
    const result = await fn(tx as unknown as Tx);
    await client.query("commit");
    return result;
  } catch (error) {
    // a connection that cannot even roll back is destroyed rather than reused
    await client.query("rollback").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
