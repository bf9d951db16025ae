import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../../src/db/client.ts";
import { runMigrations } from "../../src/db/migrate.ts";

/**
 * Every test file needs a migrated database. Creating an empty cluster and migrating it costs
 * 1.5–2 s per file on PGlite (initdb runs in WebAssembly), so the suite builds one migrated
 * template per run and each file starts from a copy: a PGlite data-dir dump, or a PostgreSQL
 * database created with `TEMPLATE`.
 */
const migrationsDir = join(import.meta.dirname, "../../src/db/migrations");
const cacheDir = join(import.meta.dirname, "../../node_modules/.cache/fluxo-tests");

/** Content hash of the shipped migrations: a changed migration makes a new template. */
function migrationsHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(migrationsDir);
  return hash.digest("hex").slice(0, 16);
}

/** The path of a migrated PGlite dump, built once per migrations hash and kept in the cache. */
export async function buildPgliteTemplate(): Promise<string> {
  const file = join(cacheDir, `pglite-${migrationsHash()}.tar`);
  if (existsSync(file)) return file;
  const database = await openDatabase({ dataDir: null });
  await runMigrations(database);
  const dump = await database.pglite?.dumpDataDir("none");
  await database.close();
  if (!dump) throw new Error("PGlite gave no dump");
  mkdirSync(cacheDir, { recursive: true });
  // written aside and renamed: a parallel run never reads half a file
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return file;
}

export function readPgliteTemplate(file: string): Blob {
  return new Blob([readFileSync(file)]);
}

/** A migrated template database on the server, for this run only, and how to drop it. */
export async function buildServerTemplate(serverUrl: string) {
  const name = `fluxo_template_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
  await runMigrations(database);
  await database.close(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected
  return {
    name,
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

export async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
