import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { lockEmbeddedDatabase } from "./embedded-lock.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: repos accept both. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Held under the embedded lock: no other process can use it while this one runs. */
  exclusive?: true;
  /** The raw driver behind `db`, for libraries that need their own access (the job queue). */
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * PostgreSQL server when a URL is given, otherwise embedded PGlite (in memory when dataDir is
 * null), which this process then holds alone until close(). An in-memory database may start
 * from a dump (`PGlite.dumpDataDir`) instead of an empty cluster: tests start from a migrated one.
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string | null;
  initialData?: Blob;
}): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    pool.on("error", () => {}); // idle-client errors surface on the next query instead
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return { db, kind: "postgres", pool, close: () => pool.end() };
  }
  let dir: string | undefined;
  let unlock = () => {};
  if (options.dataDir !== null) {
    dir = resolve(options.dataDir, "pgdata");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    unlock = lockEmbeddedDatabase(resolve(options.dataDir));
  }
  const client = dir ? new PGlite(dir) : new PGlite({ loadDataDir: options.initialData });
  try {
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const close = async () => {
    await client.close();
    unlock();
  };
  return {
    db,
    kind: "pglite",
    pglite: client,
    close,
    ...(dir ? { exclusive: true as const } : {}),
  };
}
