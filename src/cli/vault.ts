import type { Config } from "../config/config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { EmbeddedDatabaseInUse } from "../db/embedded-lock.ts";
import { migrationsApplied } from "../db/migrate.ts";
import type { Logger } from "../lib/logger.ts";
import { rotateCredentials } from "../modules/vault/rotate.ts";

/**
 * `fluxo vault rotate`: re-encrypts every credential under the active key. On PostgreSQL it
 * runs beside serving instances. The embedded database belongs to one process, so while a
 * server holds it the server does the rotation itself at start-up.
 */
export async function vaultRotate(config: Config, logger: Logger): Promise<number> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUse)) throw error;
    process.stderr.write(
      `fluxo: the embedded database in ${error.dataDir} is in use by another Fluxo process; a running server rotates on start-up, so restart it with the new key active instead\n`,
    );
    return 1;
  }
  try {
    if (!(await migrationsApplied(database.db))) {
      process.stderr.write("fluxo: migrations are pending; run `npm run db:migrate` first\n");
      return 1;
    }
    const result = await rotateCredentials(database.db, config.keyring, (p) =>
      logger.info(
        { rotated: p.rotated, changedMeanwhile: p.changedMeanwhile, failed: p.failed.length },
        "vault rotation progress",
      ),
    );
    for (const failure of result.failed)
      logger.error(failure, "credential could not be re-encrypted");
    logger.info(
      {
        activeKeyId: config.keyring.activeKeyId,
        rotated: result.rotated,
        failed: result.failed.length,
      },
      "vault rotation finished",
    );
    return result.failed.length ? 1 : 0;
  } finally {
    await database.close();
  }
}
