import { loadConfig } from "../config/config.ts";
import { openDatabase } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { createLogger } from "../lib/logger.ts";
import { runWorker, serveFluxo } from "../server/main.ts";
import { startupErrorLine } from "./startup-errors.ts";
import { vaultRotate, vaultStatusCommand } from "./vault.ts";

const usage = "usage: fluxo <serve | worker | migrate | vault rotate | vault status>";

async function main(command: string | undefined) {
  const { config, generated } = loadConfig();
  const logger = createLogger(config.logLevel);
  for (const secret of generated) {
    logger.warn(
      { file: secret.file },
      `generated a development ${secret.name}; keep this file private`,
    );
  }
  switch (command) {
    case "serve":
      return serveFluxo(config, logger);
    case "worker":
      if (!config.databaseUrl) {
        process.stderr.write(
          "fluxo: a separate worker needs DATABASE_URL (the embedded database belongs to the server)\n",
        );
        process.exitCode = 2;
        return;
      }
      return runWorker(config, logger);
    case "migrate": {
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
      });
      await runMigrations(database);
      await database.close();
      logger.info({ database: database.kind }, "migrations applied");
      return;
    }
    case "vault":
      if (process.argv[3] === "rotate") {
        process.exitCode = await vaultRotate(config, logger);
        return;
      }
      if (process.argv[3] === "status") {
        process.exitCode = await vaultStatusCommand(config);
        return;
      }
      process.stderr.write(`${usage}\n`);
      process.exitCode = 2;
      return;
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  const line = startupErrorLine(error, process.env.DATABASE_URL);
  process.stderr.write(
    `fluxo: ${line ?? (error instanceof Error ? error.stack : String(error))}\n`,
  );
  process.exit(1);
});
