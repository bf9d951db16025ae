import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deriveKeyId } from "../modules/vault/keyring.ts";
import { loadConfig } from "./config.ts";
import { ConfigError, parseEnv } from "./env.ts";

const KEY = Buffer.alloc(32, 1).toString("base64");
const PRODUCTION = {
  NODE_ENV: "production",
  BETTER_AUTH_SECRET: "s".repeat(40),
  FLUXO_ENCRYPTION_KEY: KEY,
  BASE_URL: "https://fluxo.example.com",
};

/** The ConfigError parseEnv throws for `env` (the test fails if it does not throw). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain("\n");
    return error as ConfigError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(env)}`);
}

describe("invalid settings are refused with one line naming the variable", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/fluxo"],
    ["FLUXO_ENCRYPTION_KEY", Buffer.alloc(16, 1).toString("base64")],
    ["FLUXO_ENCRYPTION_KEY", Buffer.alloc(33, 1).toString("base64")],
    ["FLUXO_ENCRYPTION_KEY", "!".repeat(44)],
    ["FLUXO_TRUSTED_PROXIES", "10.0.0.0/8, my-proxy.internal"],
    ["FLUXO_TRUSTED_PROXIES", "10.0.0.0/40"],
    ["BASE_URL", "ftp://fluxo.example.com"],
    ["SMTP_URL", "http://mail"],
    ["NODE_ENV", "staging"],
    ["FLUXO_MAX_BODY_HOOKS", "lots"],
    ["FLUXO_MAX_BODY_TRPC", "2gb"],
    ["FLUXO_MAX_BODY_AUTH", "100"],
    ["FLUXO_MAX_BACKLOG", "0"],
    ["FLUXO_MAX_BACKLOG_PER_ORG", "many"],
    ["FLUXO_RETENTION_DAYS", "0"],
    ["FLUXO_RETENTION_FAILED_DAYS", "4000"],
    ["FLUXO_RETENTION_PER_WORKFLOW", "-1"],
    ["FLUXO_JOB_RETENTION_HOURS", "0.5"],
  ])("%s=%s", (name, value) => {
    expect(configError({ [name]: value }).message).toMatch(new RegExp(`^Invalid ${name}: `));
  });

  it("accepts good values (control)", () => {
    const env = parseEnv({
      PORT: "8080",
      DATABASE_URL: "postgres://fluxo@db/fluxo",
      FLUXO_ENCRYPTION_KEY: KEY,
      FLUXO_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1 ,2001:db8::/32",
    });
    expect(env.PORT).toBe(8080);
    expect(env.FLUXO_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "192.0.2.1", "2001:db8::/32"]);
    expect(env.FLUXO_ENCRYPTION_KEY).toBe(KEY);
  });

  it("reads body limits in bytes, kb or mb, with a default for each surface", () => {
    const env = parseEnv({ FLUXO_MAX_BODY_HOOKS: "4mb", FLUXO_MAX_BODY_API: "65536" });
    expect(env.FLUXO_MAX_BODY_HOOKS).toBe(4 * 1024 * 1024);
    expect(env.FLUXO_MAX_BODY_API).toBe(65536);
    expect(env.FLUXO_MAX_BODY_AUTH).toBe(64 * 1024);
    expect(parseEnv({ FLUXO_MAX_BODY_REVIEW_PAGES: "128KB" }).FLUXO_MAX_BODY_REVIEW_PAGES).toBe(
      128 * 1024,
    );
  });
});

describe("back-pressure and retention", () => {
  it("defaults: 10,000 queued executions, a quarter per organization, 14/30 days, 10,000 per workflow", () => {
    const { backlog, retention } = loadConfig({
      FLUXO_ENCRYPTION_KEY: KEY,
      BETTER_AUTH_SECRET: "s".repeat(40),
    }).config;
    expect(backlog).toEqual({ max: 10_000, perOrg: 2_500 });
    expect(retention).toEqual({
      keepDays: 14,
      keepFailedDays: 30,
      keepPerWorkflow: 10_000,
      finishedJobsHours: 24,
    });
  });

  it("an organization's share follows the instance bound unless set; 0 lifts the count limit", () => {
    const env = { FLUXO_ENCRYPTION_KEY: KEY, BETTER_AUTH_SECRET: "s".repeat(40) };
    const config = loadConfig({
      ...env,
      FLUXO_MAX_BACKLOG: "400",
      FLUXO_RETENTION_PER_WORKFLOW: "0",
    }).config;
    expect(config.backlog).toEqual({ max: 400, perOrg: 100 });
    expect(config.retention?.keepPerWorkflow).toBeNull();
    expect(loadConfig({ ...env, FLUXO_MAX_BACKLOG_PER_ORG: "10" }).config.backlog?.perOrg).toBe(10);
  });

  it("refuses an organization share larger than the instance bound", () => {
    const message = configError({
      FLUXO_MAX_BACKLOG: "100",
      FLUXO_MAX_BACKLOG_PER_ORG: "200",
    }).message;
    expect(message).toBe(
      "Invalid FLUXO_MAX_BACKLOG_PER_ORG: must not be more than FLUXO_MAX_BACKLOG",
    );
  });
});

describe("production", () => {
  it("starts with every secret given explicitly", () => {
    expect(parseEnv(PRODUCTION).NODE_ENV).toBe("production");
  });

  it.each(["BETTER_AUTH_SECRET", "FLUXO_ENCRYPTION_KEY", "BASE_URL"])(
    "refuses to start without %s",
    (name) => {
      const message = configError({ ...PRODUCTION, [name]: undefined }).message;
      expect(message).toContain(name);
      expect(message).toContain("NODE_ENV=production");
    },
  );

  it("names every missing variable at once", () => {
    const message = configError({ NODE_ENV: "production" }).message;
    for (const name of ["BETTER_AUTH_SECRET", "FLUXO_ENCRYPTION_KEY", "BASE_URL"]) {
      expect(message).toContain(name);
    }
  });

  it("never generates secrets", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fluxo-prod-"));
    dirs.push(dataDir);
    expect(() => loadConfig({ NODE_ENV: "production", FLUXO_DATA_DIR: dataDir })).toThrow(
      ConfigError,
    );
    expect(() => statSync(join(dataDir, "secrets"))).toThrow();
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("development secrets", () => {
  it("are generated once into <dataDir>/secrets with mode 0600 and reused", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fluxo-dev-"));
    dirs.push(dataDir);
    const first = loadConfig({ FLUXO_DATA_DIR: dataDir });
    const files = {
      authSecret: join(dataDir, "secrets", "auth-secret"),
      encryptionKey: join(dataDir, "secrets", "encryption-key"),
    };
    expect(first.generated).toEqual([
      { name: "auth-secret", file: files.authSecret },
      { name: "encryption-key", file: files.encryptionKey },
    ]);
    for (const file of Object.values(files)) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(files.authSecret, "utf8").trim()).toBe(first.config.authSecret);
    expect(first.config.authSecret.length).toBeGreaterThanOrEqual(32);
    // The generated key has the format FLUXO_ENCRYPTION_KEY demands, and is the active key.
    const generatedKey = readFileSync(files.encryptionKey, "utf8").trim();
    expect(parseEnv({ FLUXO_ENCRYPTION_KEY: generatedKey }).FLUXO_ENCRYPTION_KEY).toBe(
      generatedKey,
    );
    expect(first.config.keyring.activeKeyId).toBe(deriveKeyId(Buffer.from(generatedKey, "base64")));

    const second = loadConfig({ FLUXO_DATA_DIR: dataDir });
    expect(second.generated).toEqual([]);
    expect(second.config.authSecret).toBe(first.config.authSecret);
    expect(second.config.keyring.activeKeyId).toBe(first.config.keyring.activeKeyId);
  });

  it("are not generated when given in the environment", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fluxo-dev-"));
    dirs.push(dataDir);
    const secret = "x".repeat(40);
    const { config, generated } = loadConfig({
      FLUXO_DATA_DIR: dataDir,
      BETTER_AUTH_SECRET: secret,
      FLUXO_ENCRYPTION_KEY: KEY,
    });
    expect(generated).toEqual([]);
    expect(config.authSecret).toBe(secret);
    expect(config.keyring.activeKeyId).toBe(deriveKeyId(Buffer.from(KEY, "base64")));
  });
});

describe("the CLI", () => {
  it("exits 1 with a single stderr line naming PORT when PORT=abc", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fluxo-cli-"));
    dirs.push(dataDir);
    const result = spawnSync("node_modules/.bin/tsx", ["src/cli/fluxo.ts", "serve"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "development",
        PORT: "abc",
        FLUXO_DATA_DIR: dataDir,
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fluxo: Invalid PORT: /);
    expect(result.stdout).toBe("");
  });
});

describe("vault keys and the outbound allowlist", () => {
  const base = { NODE_ENV: "test", FLUXO_DATA_DIR: join(tmpdir(), "fluxo-unused") };
  it("FLUXO_ENCRYPTION_KEYS makes its first key active", () => {
    const other = Buffer.alloc(32, 9).toString("base64");
    const { config } = loadConfig({ ...base, FLUXO_ENCRYPTION_KEYS: `new:${other},old:${KEY}` });
    expect(config.keyring.activeKeyId).toBe("new");
    expect([...config.keyring.keys.keys()]).toEqual(["new", "old"]);
  });

  it("a malformed key list or allowlist stops start-up naming the variable", () => {
    expect(() => loadConfig({ ...base, FLUXO_ENCRYPTION_KEYS: "a:short" })).toThrow(
      /FLUXO_ENCRYPTION_KEYS/,
    );
    expect(() =>
      loadConfig({ ...base, FLUXO_ENCRYPTION_KEY: KEY, FLUXO_OUTBOUND_ALLOW: "10.0.0.0/99" }),
    ).toThrow(/FLUXO_OUTBOUND_ALLOW/);
  });

  it("production accepts FLUXO_ENCRYPTION_KEYS in place of FLUXO_ENCRYPTION_KEY", () => {
    const { config } = loadConfig({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "y".repeat(40),
      BASE_URL: "https://fluxo.example.com",
      FLUXO_ENCRYPTION_KEYS: `main:${KEY}`,
      FLUXO_DATA_DIR: join(tmpdir(), "fluxo-unused"),
    });
    expect(config.keyring.activeKeyId).toBe("main");
  });
});
