import { type Keyring, parseKeyring } from "../modules/vault/keyring.ts";
import { type AllowEntry, AllowlistError, parseAllowlist } from "../net/allowlist.ts";
import type { BodyLimits } from "./body-limits.ts";
import { ConfigError, parseEnv, type RawEnv } from "./env.ts";
import { type BacklogLimits, perOrgShare, type RetentionDefaults } from "./executions.ts";
import { DEVELOPMENT_KEYRING_FILE, loadOrCreateSecret, readSecret } from "./secrets.ts";
import {
  type SocialProviderClients,
  type SocialProviderId,
  socialProviderClients,
} from "./social.ts";

/** Everything the application needs, resolved once at start-up. */
export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  baseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  authSecret: string;
  /** The vault's keys: FLUXO_ENCRYPTION_KEY, or FLUXO_ENCRYPTION_KEYS (first is active). */
  keyring: Keyring;
  /** FLUXO_OUTBOUND_ALLOW: the explicit exceptions to the outbound network guard. */
  outboundAllow: AllowEntry[];
  smtpUrl: string | undefined;
  mailFrom: string;
  trustedProxies: string[];
  logLevel: RawEnv["LOG_LEVEL"];
  /** Executions of one organization advanced at the same time, at most. */
  orgConcurrency: number;
  /** Incoming-webhook requests accepted per workflow per minute. */
  webhookRatePerMinute: number;
  /** REST API requests accepted per API key per minute (FLUXO_API_RATE_PER_MINUTE). */
  apiRatePerMinute: number;
  /** tRPC calls accepted per signed-in user per minute (FLUXO_TRPC_RATE_PER_MINUTE). */
  trpcRatePerMinute: number;
  /** The longest a review may stay open, in seconds (FLUXO_REVIEW_MAX_HOURS). */
  reviewMaxSeconds: number;
  /** The largest request body each surface reads (FLUXO_MAX_BODY_*). */
  bodyLimits: BodyLimits;
  /**
   * Executions waiting to start before triggers are refused (FLUXO_MAX_BACKLOG,
   * FLUXO_MAX_BACKLOG_PER_ORG); the defaults of src/config/executions.ts when absent.
   */
  backlog?: BacklogLimits;
  /** Instance retention defaults (FLUXO_RETENTION_*, FLUXO_JOB_RETENTION_HOURS); likewise. */
  retention?: RetentionDefaults;
  /** `npm start` runs the engine's workers in the server process unless this is false. */
  inProcessWorker: boolean;
  /** FLUXO_EXPRESSION_WORKERS: processes evaluating workflow expressions; a default when absent. */
  expressionWorkers?: number;
  /**
   * Social sign-in providers with a configured OAuth client (GOOGLE_CLIENT_ID, …); none when
   * absent. Optional so that hand-built configs (benchmarks, tools) need not name them.
   */
  socialProviders?: SocialProviderClients;
  /**
   * FLUXO_ACCOUNT_LINKING_PROVIDERS: providers whose sign-in may join an existing account;
   * all of them when absent.
   */
  accountLinkingProviders?: readonly SocialProviderId[];
}

export interface SecretNotice {
  name: string;
  file: string;
}

/** Resolves configuration; in development, missing secrets are generated into the data dir. */
export function loadConfig(source: Record<string, string | undefined> = process.env): {
  config: Config;
  generated: SecretNotice[];
} {
  const env = parseEnv(source);
  const generated: SecretNotice[] = [];
  const secret = (name: string, value: string | undefined) => {
    if (value) return value;
    const { value: created, file, isNew } = loadOrCreateSecret(env.FLUXO_DATA_DIR, name);
    if (isNew) generated.push({ name, file });
    return created;
  };
  // A development rotation leaves the keyring it used in secrets/encryption-keys (rotation-run.ts).
  const developmentKeyring = () => {
    const keys = readSecret(env.FLUXO_DATA_DIR, DEVELOPMENT_KEYRING_FILE);
    return keys ? { keys } : { key: secret("encryption-key", undefined) };
  };
  const config: Config = {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    databaseUrl: env.DATABASE_URL,
    dataDir: env.FLUXO_DATA_DIR,
    authSecret: secret("auth-secret", env.BETTER_AUTH_SECRET),
    keyring: parseKeyring(
      env.FLUXO_ENCRYPTION_KEYS || env.FLUXO_ENCRYPTION_KEY
        ? { keys: env.FLUXO_ENCRYPTION_KEYS, key: env.FLUXO_ENCRYPTION_KEY }
        : developmentKeyring(),
    ),
    outboundAllow: parseOutboundAllow(env.FLUXO_OUTBOUND_ALLOW),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    trustedProxies: env.FLUXO_TRUSTED_PROXIES,
    logLevel: env.LOG_LEVEL,
    orgConcurrency: env.FLUXO_ORG_CONCURRENCY,
    webhookRatePerMinute: env.FLUXO_WEBHOOK_RATE_PER_MINUTE,
    apiRatePerMinute: env.FLUXO_API_RATE_PER_MINUTE,
    trpcRatePerMinute: env.FLUXO_TRPC_RATE_PER_MINUTE,
    backlog: {
      max: env.FLUXO_MAX_BACKLOG,
      perOrg: env.FLUXO_MAX_BACKLOG_PER_ORG ?? perOrgShare(env.FLUXO_MAX_BACKLOG),
    },
    retention: {
      keepDays: env.FLUXO_RETENTION_DAYS,
      keepFailedDays: env.FLUXO_RETENTION_FAILED_DAYS,
      keepPerWorkflow: env.FLUXO_RETENTION_PER_WORKFLOW || null,
      finishedJobsHours: env.FLUXO_JOB_RETENTION_HOURS,
    },
    inProcessWorker: env.FLUXO_IN_PROCESS_WORKER === "true",
    expressionWorkers: env.FLUXO_EXPRESSION_WORKERS,
    reviewMaxSeconds: Math.round(env.FLUXO_REVIEW_MAX_HOURS * 3600),
    bodyLimits: {
      hooks: env.FLUXO_MAX_BODY_HOOKS,
      trpc: env.FLUXO_MAX_BODY_TRPC,
      api: env.FLUXO_MAX_BODY_API,
      auth: env.FLUXO_MAX_BODY_AUTH,
      reviewPages: env.FLUXO_MAX_BODY_REVIEW_PAGES,
    },
    socialProviders: socialProviderClients(env),
    accountLinkingProviders: env.FLUXO_ACCOUNT_LINKING_PROVIDERS,
  };
  return { config, generated };
}

function parseOutboundAllow(value: string | undefined): AllowEntry[] {
  try {
    return parseAllowlist(value);
  } catch (error) {
    if (error instanceof AllowlistError) throw new ConfigError(error.message);
    throw error;
  }
}
