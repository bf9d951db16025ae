import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "../config/config.ts";
import { defaultRetention } from "../config/executions.ts";
import { startMaintenance } from "../jobs/maintenance.ts";
import type { Logger } from "../lib/logger.ts";
import { StartupError } from "../lib/startup-error.ts";
import { runVaultRotation } from "../modules/vault/rotation-run.ts";
import { instanceDeliveryDeps, startWebhookWorker } from "../modules/webhooks/worker.ts";
import { startEngineWorkers } from "../modules/workflows/engine/worker.ts";
import { createApp } from "./app.ts";
import { bootstrap, shutdown } from "./bootstrap.ts";
import type { AppDeps } from "./deps.ts";
import { ensureWebBuild } from "./web-build.ts";

const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Builds the web app if stale, opens the database (the embedded one for this process alone),
 * serves Fluxo until SIGTERM/SIGINT, then drains in-flight requests and closes the database.
 */
export async function serveFluxo(config: Config, logger: Logger): Promise<void> {
  await ensureWebBuild((message) => logger.info(message));
  const deps = await bootstrap(config, logger);
  const app = createApp(deps);
  const server = await listen(app.fetch, config).catch(async (error: unknown) => {
    await shutdown(deps);
    throw error;
  });
  const { address, port } = server.address() as AddressInfo;
  logger.info(
    { address, port, database: deps.database.kind, baseUrl: config.baseUrl },
    `Fluxo is listening on ${config.baseUrl}`,
  );
  rotateInBackground(deps, config, logger);
  if (config.inProcessWorker) await startWorkers(deps);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining in-flight requests");
    const force = setTimeout(() => {
      logger.warn("drain timed out; closing remaining connections");
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    force.unref();
    server.close(async () => {
      await shutdown(deps);
      logger.info("stopped cleanly");
      process.exit(0);
    });
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** Resolves once the port is bound; a port in use is a one-line start-up error. */
function listen(fetch: (request: Request) => Response | Promise<Response>, config: Config) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, () =>
      resolve(server),
    );
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(
              `port ${config.port} on ${config.host} is already in use; stop what holds it or set PORT`,
            )
          : error,
      ),
    );
  });
}

/** Vault envelopes still under an older key are re-encrypted while the server serves. */
function rotateInBackground(deps: AppDeps, config: Config, logger: Logger) {
  runVaultRotation(deps.database.db, config, logger, {
    quietWhenIdle: true,
    exceptInstanceId: deps.keyringPresence.instanceId,
  }).catch((error: unknown) => logger.error({ err: error }, "vault rotation failed"));
}

/** This process's share of the background work: engine, webhook delivery, housekeeping. */
async function startWorkers(deps: AppDeps): Promise<void> {
  await startEngineWorkers(deps.engine, deps.queue, {
    soleProcess: deps.database.exclusive === true,
  });
  await startWebhookWorker(instanceDeliveryDeps(deps), deps.queue);
  await startMaintenance(
    {
      db: deps.database.db,
      logger: deps.logger,
      retention: deps.config.retention ?? defaultRetention,
    },
    deps.queue,
  );
}

/** `fluxo worker`: only the workers (engine, webhook delivery), beside servers sharing a PostgreSQL database. */
export async function runWorker(config: Config, logger: Logger): Promise<void> {
  const deps = await bootstrap(config, logger);
  await startWorkers(deps);
  logger.info({ database: deps.database.kind }, "Fluxo worker started");
  const stop = async (signal: string) => {
    logger.info({ signal }, "worker stopping after the jobs in hand");
    await shutdown(deps);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
