import { randomUUID } from "node:crypto";
import { defaultBodyLimits } from "../src/config/body-limits.ts";
import type { Config } from "../src/config/config.ts";
import { parseKeyring } from "../src/modules/vault/keyring.ts";
import { parseAllowlist } from "../src/net/allowlist.ts";

/**
 * A production-mode configuration for a benchmark instance on loopback, on the database the
 * parent process chose (`BENCH_DATABASE_URL`, else embedded PGlite in `.fluxo-bench`).
 */
export function benchConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: "production",
    host: "127.0.0.1",
    port: 0,
    baseUrl: "http://127.0.0.1",
    databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
    dataDir: ".fluxo-bench",
    authSecret: randomUUID() + randomUUID(),
    keyring: parseKeyring({ key: Buffer.alloc(32, 9).toString("base64") }),
    outboundAllow: parseAllowlist(""),
    orgConcurrency: 20, // the default of FLUXO_ORG_CONCURRENCY
    webhookRatePerMinute: 10_000_000,
    apiRatePerMinute: 10_000_000,
    trpcRatePerMinute: 10_000_000,
    inProcessWorker: false,
    reviewMaxSeconds: 720 * 3600,
    bodyLimits: defaultBodyLimits,
    smtpUrl: undefined,
    mailFrom: "Fluxo <no-reply@127.0.0.1>",
    trustedProxies: [],
    logLevel: "info",
    socialProviders: {},
    accountLinkingProviders: [],
    ...overrides,
  };
}
