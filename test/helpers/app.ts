import { Writable } from "node:stream";
import { defaultBodyLimits } from "../../src/config/body-limits.ts";
import type { Config } from "../../src/config/config.ts";
import type { Database } from "../../src/db/client.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { parseKeyring } from "../../src/modules/vault/keyring.ts";
import { createApp } from "../../src/server/app.ts";
import { bootstrap, shutdown } from "../../src/server/bootstrap.ts";
import { TestClient } from "./client.ts";
import { createTestDatabase } from "./db.ts";
import { once } from "./once.ts";
import { startSmtpServer } from "./smtp.ts";

export const TEST_BASE_URL = "http://fluxo.test";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: "test",
    host: "127.0.0.1",
    port: 0,
    baseUrl: TEST_BASE_URL,
    databaseUrl: undefined,
    dataDir: ".fluxo-test",
    authSecret: "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    keyring: parseKeyring({ key: Buffer.alloc(32, 7).toString("base64") }),
    outboundAllow: [],
    orgConcurrency: 20,
    webhookRatePerMinute: 6000,
    apiRatePerMinute: 600,
    trpcRatePerMinute: 100_000, // tests poll executions; test/trpc-limits.test.ts sets its own
    inProcessWorker: false,
    reviewMaxSeconds: 720 * 3600,
    bodyLimits: defaultBodyLimits,
    smtpUrl: undefined,
    mailFrom: "Fluxo <no-reply@fluxo.test>",
    trustedProxies: [],
    logLevel: "info",
    socialProviders: {},
    accountLinkingProviders: ["google", "github", "dropbox"],
    ...overrides,
  };
}

/**
 * A whole Fluxo instance for one test file: its own database (or `existing`, which closing
 * the app closes), a real SMTP peer, and the log lines it wrote (so tests can check what
 * reaches the log).
 */
export async function startTestApp(overrides: Partial<Config> = {}, existing?: Database) {
  const smtp = await startSmtpServer();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const config = testConfig({ smtpUrl: smtp.url, ...overrides });
  const logger = createLogger("debug", sink);
  const database = existing ?? (await createTestDatabase());
  const deps = await bootstrap(config, logger, database);
  const app = createApp(deps);
  let nextIp = 1;
  return {
    app,
    deps,
    smtp,
    logLines,
    /** A browser-like client with its own cookie jar and its own client IP. */
    client(ip = `10.9.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`) {
      return new TestClient(app, ip, config.baseUrl);
    },
    /** Idempotent: a test may already have closed the database on purpose. */
    close: once(async () => {
      await shutdown(deps);
      await smtp.close();
    }),
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
