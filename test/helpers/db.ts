import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { once } from "./once.ts";

/**
 * A private database for one test file: in-memory PGlite by default, or a fresh database on
 * the PostgreSQL server named by DATABASE_URL (dropped again on close). Closing twice is
 * harmless, so a test may close it on purpose (e.g. to prove /readyz notices).
 */
export async function createTestDatabase(): Promise<Database> {
  const database = await openTestDatabase();
  return { ...database, close: once(database.close) };
}

async function openTestDatabase(): Promise<Database> {
  if (!process.env.DATABASE_URL) return openDatabase({ dataDir: null });
  const { url, drop } = await createServerDatabase();
  const database = await openDatabase({ databaseUrl: url, dataDir: null });
  return {
    ...database,
    async close() {
      await database.close();
      await drop();
    },
  };
}

/** A fresh, empty database on the server named by DATABASE_URL, and how to drop it. */
export async function createServerDatabase(serverUrl = process.env.DATABASE_URL as string) {
  const name = `fluxo_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
