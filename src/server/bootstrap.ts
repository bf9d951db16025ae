import { createAuth } from "../auth/auth.ts";
import type { Config } from "../config/config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import type { Logger } from "../lib/logger.ts";
import { createMailer } from "../lib/mailer.ts";
import { createOutbound } from "../net/outbound.ts";
import type { AppDeps } from "./deps.ts";

/** Opens the database (applying migrations) and wires the collaborators together. */
export async function bootstrap(
  config: Config,
  logger: Logger,
  database?: Database,
): Promise<AppDeps> {
  const db =
    database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await runMigrations(db);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const auth = createAuth({ config, db: db.db, mailer, logger });
  const outbound = createOutbound({ allow: config.outboundAllow });
  return { config, database: db, auth, mailer, logger, keyring: config.keyring, outbound };
}

export async function shutdown(deps: AppDeps): Promise<void> {
  deps.mailer.close();
  await deps.database.close();
}
