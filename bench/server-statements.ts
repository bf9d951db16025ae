import type pg from "pg";

/** One normalized statement as the server measured it during a row's run. */
export interface ServerStatement {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/**
 * The server's own account of a row's statements, from pg_stat_statements: how long each kind
 * took to execute inside PostgreSQL, which the client-side count cannot tell. Undefined when
 * the server was not started with the extension preloaded (`shared_preload_libraries`).
 */
export async function serverStatements(admin: pg.Client, databaseName: string) {
  const preloaded = await admin.query<{ setting: string }>(
    "select setting from pg_settings where name = 'shared_preload_libraries'",
  );
  if (!preloaded.rows[0]?.setting.includes("pg_stat_statements")) return undefined;
  await admin.query("create extension if not exists pg_stat_statements");
  const database = await admin.query<{ oid: number }>(
    "select oid from pg_database where datname = $1",
    [databaseName],
  );
  const dbid = database.rows[0]?.oid;
  await admin.query("select pg_stat_statements_reset(0, $1, 0)", [dbid]);
  return {
    /** The statements of the database since the reset, most total execution time first. */
    async read(): Promise<ServerStatement[]> {
      const result = await admin.query<{
        query: string;
        calls: string;
        total_ms: number;
        mean_ms: number;
      }>(
        `select query, calls, total_exec_time as total_ms, mean_exec_time as mean_ms
         from pg_stat_statements where dbid = $1 order by total_exec_time desc`,
        [dbid],
      );
      return result.rows.map((row) => ({
        query: row.query.replace(/\s+/g, " ").trim(),
        calls: Number(row.calls),
        totalMs: row.total_ms,
        meanMs: row.mean_ms,
      }));
    },
  };
}
