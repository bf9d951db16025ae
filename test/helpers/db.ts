import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { once } from "./once.ts";
import { adminQuery, readPgliteTemplate } from "./template-db.ts";

/**
 * A private, migrated database for one test file: in-memory PGlite by default, or a fresh
 * database on the PostgreSQL server named by DATABASE_URL (dropped again on close). Both are
 * copies of the run's template (test/global-setup.ts). Closing twice is harmless, so a test
 * may close it on purpose (e.g. to prove /readyz notices).
 */
export async function createTestDatabase(): Promise<Database> {
  const database = await openTestDatabase();
  return { ...database, close: once(database.close) };
}

async function openTestDatabase(): Promise<Database> {
  const template = inject("databaseTemplate");
  if (template.kind === "pglite") {
    return openDatabase({ dataDir: null, initialData: readPgliteTemplate(template.file) });
  }
  const { url, drop } = await createServerDatabase(process.env.DATABASE_URL, template.name);
  const database = await openDatabase({ databaseUrl: url, dataDir: null });
  return {
    ...database,
    async close() {
      await database.close();
      await drop();
    },
  };
}

/**
 * A fresh database on the server named by DATABASE_URL, empty or a copy of `template`, and
 * how to drop it.
 */
export async function createServerDatabase(
  serverUrl = process.env.DATABASE_URL as string,
  template?: string,
) {
  const name = `fluxo_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}${template ? ` template ${template}` : ""}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
