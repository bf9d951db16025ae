import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.ts";
import { ConfigError, parseEnv } from "../../src/config/env.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { CLIENTS, FakeProviders } from "./fake-providers.ts";

describe("auth.providers lists exactly the configured providers", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it("none configured: no buttons, and social sign-in is refused", async () => {
    const t = await startTestApp();
    apps.push(t);
    const client = t.client();
    expect(await client.query("auth.providers")).toEqual([]);
    const res = await client.post("/api/auth/sign-in/social", {
      provider: "google",
      callbackURL: "/",
    });
    expect(res.status).toBe(404);
  });

  it("GitHub and Dropbox configured: those two, without signing in", async () => {
    const t = await startTestApp({
      socialProviders: { github: CLIENTS.github, dropbox: CLIENTS.dropbox },
    });
    apps.push(t);
    expect(await t.client().query("auth.providers")).toEqual([
      { id: "github", name: "GitHub" },
      { id: "dropbox", name: "Dropbox" },
    ]);
  });
});

describe("configuration", () => {
  const configError = (env: Record<string, string>) => {
    try {
      parseEnv(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("parseEnv accepted the environment");
  };

  it("half a client pair names the missing variable", () => {
    expect(configError({ GOOGLE_CLIENT_ID: "id" })).toBe(
      "Missing GOOGLE_CLIENT_SECRET: required when GOOGLE_CLIENT_ID is set",
    );
    expect(configError({ GITHUB_CLIENT_SECRET: "s" })).toBe(
      "Missing GITHUB_CLIENT_ID: required when GITHUB_CLIENT_SECRET is set",
    );
    expect(configError({ DROPBOX_CLIENT_ID: "id" })).toMatch(/^Missing DROPBOX_CLIENT_SECRET/);
  });

  it("an unknown linking provider names the variable", () => {
    expect(configError({ FLUXO_ACCOUNT_LINKING_PROVIDERS: "google,facebook" })).toMatch(
      /^Invalid FLUXO_ACCOUNT_LINKING_PROVIDERS: /,
    );
  });

  it("enables a provider only with both halves; linking trusts all three unless told", () => {
    const base = {
      FLUXO_DATA_DIR: "/nonexistent",
      BETTER_AUTH_SECRET: "s".repeat(40),
      FLUXO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    };
    const { config } = loadConfig({ ...base, GITHUB_CLIENT_ID: "gh", GITHUB_CLIENT_SECRET: "shh" });
    expect(config.socialProviders).toEqual({ github: { clientId: "gh", clientSecret: "shh" } });
    expect(config.accountLinkingProviders).toEqual(["google", "github", "dropbox"]);
    const none = loadConfig({ ...base, FLUXO_ACCOUNT_LINKING_PROVIDERS: "none" }).config;
    expect(none.accountLinkingProviders).toEqual([]);
  });
});

describe("the test network guard", () => {
  const fake = new FakeProviders();
  beforeAll(() => fake.install());
  afterEach(() => expect(fake.calls.length).toBeGreaterThan(0));
  afterAll(() => fake.restore());

  it("throws for any URL that is not a provider endpoint it answers", async () => {
    await expect(fetch("https://example.com/")).rejects.toThrow(/test network guard/);
    await expect(fetch("https://www.googleapis.com/oauth2/v3/certs")).rejects.toThrow(
      /test network guard/,
    );
  });

  it("answers a token request with a wrong code as a provider would", async () => {
    const res = await fetch("https://oauth2.googleapis.com/token", {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code: "nope" }),
    });
    expect(res.status).toBe(400);
  });
});
