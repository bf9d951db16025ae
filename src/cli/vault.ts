import type { Config } from "../config/config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { EmbeddedDatabaseInUse } from "../db/embedded-lock.ts";
import { migrationsApplied } from "../db/migrate.ts";
import type { Logger } from "../lib/logger.ts";
import { runVaultRotation } from "../modules/vault/rotation-run.ts";
import { describeVaultStatus, vaultStatus } from "../modules/vault/status.ts";

/**
 * `fluxo vault rotate`: re-encrypts every vault envelope (credentials, webhook signing
 * secrets) under the active key, unless a running process lacks that key. On PostgreSQL it
 * runs beside serving instances. The embedded database belongs to one process, so while a
 * server holds it the server does the rotation itself at start-up.
 */
export function vaultRotate(config: Config, logger: Logger): Promise<number> {
  return withVaultDatabase(
    config,
    "a running server rotates on start-up, so restart it with the new key active instead",
    async (database) => {
      const run = await runVaultRotation(database.db, config, logger);
      if (!("result" in run)) return 1;
      return run.result.failed.length ? 1 : 0;
    },
  );
}

/** `fluxo vault status`: per table, how many envelopes are still on an old key. */
export function vaultStatusCommand(config: Config): Promise<number> {
  return withVaultDatabase(
    config,
    "a running server logs the status on start-up",
    async (database) => {
      const status = await vaultStatus(database.db, config.keyring);
      process.stdout.write(`${describeVaultStatus(status).join("\n")}\n`);
      return Object.keys(status.missing).length ? 1 : 0;
    },
  );
}

async function withVaultDatabase(
  config: Config,
  whenInUse: string,
  fn: (database: Database) => Promise<number>,
): Promise<number> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUse)) throw error;
    process.stderr.write(
      `fluxo: the embedded database in ${error.dataDir} is in use by another Fluxo process; ${whenInUse}\n`,
    );
    return 1;
  }
  try {
    if (!(await migrationsApplied(database.db))) {
      process.stderr.write("fluxo: migrations are pending; run `npm run db:migrate` first\n");
      return 1;
    }
    return await fn(database);
  } finally {
    await database.close();
  }
}
