import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.ts";

/**
 * Runs `fn` in a transaction as the non-superuser role `fluxo_app` with `app.org_id` set to
 * the organization: row-level security then hides every other tenant's rows, even from a
 * query that forgets its filter. Both settings end with the transaction.
 */
export function withTenant<T>(db: Db, orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'fluxo_app', true)`,
    );
    return fn(tx);
  });
}
