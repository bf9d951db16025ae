import { z } from "zod";
import { isValidCidrOrIp } from "../lib/ip.ts";
import { defaultBodyLimits as body, byteSize } from "./body-limits.ts";
import {
  defaultBacklogLimits as backlog,
  MAX_RETENTION_DAYS,
  defaultRetention as retention,
} from "./executions.ts";

/** A 32-byte key, base64 or base64url encoded (44 or 43 characters). */
const encryptionKey = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32 && /^[A-Za-z0-9+/_-]{43}=?$/.test(v), {
    message: "must be 32 random bytes encoded as base64 (e.g. `openssl rand -base64 32`)",
  });

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const socialProviderList = "must be a comma-separated list of google, github, dropbox (or `none`)";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  FLUXO_DATA_DIR: z.string().min(1).default(".fluxo"),
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  FLUXO_ENCRYPTION_KEY: encryptionKey.optional(),
  FLUXO_ENCRYPTION_KEYS: z.string().optional(),
  FLUXO_OUTBOUND_ALLOW: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Fluxo <no-reply@localhost>"),
  FLUXO_TRUSTED_PROXIES: csv.refine((list) => list.every(isValidCidrOrIp), {
    message: "must be a comma-separated list of IP addresses or CIDR ranges",
  }),
  FLUXO_ORG_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  FLUXO_EXPRESSION_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  FLUXO_WEBHOOK_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  FLUXO_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  FLUXO_TRPC_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  FLUXO_REVIEW_MAX_HOURS: z.coerce.number().min(1).max(720).default(720),
  FLUXO_MAX_BACKLOG: z.coerce.number().int().min(1).default(backlog.max),
  FLUXO_MAX_BACKLOG_PER_ORG: z.coerce.number().int().min(1).optional(),
  FLUXO_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_DAYS)
    .default(retention.keepDays),
  FLUXO_RETENTION_FAILED_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_DAYS)
    .default(retention.keepFailedDays),
  // 0: no count limit
  FLUXO_RETENTION_PER_WORKFLOW: z.coerce
    .number()
    .int()
    .min(0)
    .default(retention.keepPerWorkflow ?? 0),
  FLUXO_JOB_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .default(retention.finishedJobsHours),
  FLUXO_IN_PROCESS_WORKER: z.enum(["true", "false"]).default("true"),
  FLUXO_MAX_BODY_HOOKS: byteSize(body.hooks),
  FLUXO_MAX_BODY_TRPC: byteSize(body.trpc),
  FLUXO_MAX_BODY_API: byteSize(body.api),
  FLUXO_MAX_BODY_AUTH: byteSize(body.auth),
  FLUXO_MAX_BODY_REVIEW_PAGES: byteSize(body.reviewPages),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  DROPBOX_CLIENT_ID: z.string().optional(),
  DROPBOX_CLIENT_SECRET: z.string().optional(),
  FLUXO_ACCOUNT_LINKING_PROVIDERS: z
    .string()
    .default("google,github,dropbox")
    .transform((v) => (v.trim() === "none" ? [] : v.split(",").map((s) => s.trim())))
    .pipe(z.array(z.enum(["google", "github", "dropbox"], { message: socialProviderList }))),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Each social provider needs both halves of its OAuth client, or neither. */
const requiredTogether = [
  ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
  ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
  ["DROPBOX_CLIENT_ID", "DROPBOX_CLIENT_SECRET"],
] as const;

export type RawEnv = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Variables production refuses to start without; alternatives are accepted for one another. */
const requiredInProduction = [
  ["BETTER_AUTH_SECRET"],
  ["FLUXO_ENCRYPTION_KEY", "FLUXO_ENCRYPTION_KEYS"],
  ["BASE_URL"],
] as const;

/** Parses the environment; throws ConfigError with one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): RawEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`Invalid ${name}: ${issue?.message ?? "invalid value"}`);
  }
  const env = result.data;
  for (const pair of requiredTogether) {
    const [present, missing] = env[pair[0]] ? pair : [pair[1], pair[0]];
    if (env[present] && !env[missing]) {
      throw new ConfigError(`Missing ${missing}: required when ${present} is set`);
    }
  }
  if ((env.FLUXO_MAX_BACKLOG_PER_ORG ?? 0) > env.FLUXO_MAX_BACKLOG) {
    throw new ConfigError(
      "Invalid FLUXO_MAX_BACKLOG_PER_ORG: must not be more than FLUXO_MAX_BACKLOG",
    );
  }
  if (env.NODE_ENV === "production") {
    // Name every missing variable at once: an operator should not fix them one restart at a time.
    const missing = requiredInProduction
      .filter((names) => names.every((name) => !env[name]))
      .map((names) => names.join(" or "));
    if (missing.length) {
      throw new ConfigError(`Missing ${missing.join(", ")}: required when NODE_ENV=production`);
    }
  }
  return env;
}
