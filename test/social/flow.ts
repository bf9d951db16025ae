import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { SocialProviderId } from "../../src/config/social.ts";
import { account } from "../../src/db/schema/index.ts";
import { startTestApp, TEST_BASE_URL, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { uniqueEmail } from "../helpers/users.ts";
import { AUTHORIZE_URL, CLIENTS, type FakeProviders, type Identity } from "./fake-providers.ts";

/** A Fluxo instance with all three providers configured. */
export const startSocialApp = (overrides: Parameters<typeof startTestApp>[0] = {}) =>
  startTestApp({ socialProviders: CLIENTS, ...overrides });

let subjects = 1000;
/** A fresh person at the provider (numeric subjects suit GitHub's numeric user ids). */
export function identity(overrides: Partial<Identity> = {}): Identity {
  const email = overrides.email ?? uniqueEmail("social");
  return {
    subject: String(++subjects),
    email,
    emailVerified: true,
    name: "Sam Social",
    ...overrides,
  };
}

/**
 * Starts a flow on Fluxo (sign-in, or link-social when signed in) and checks the redirect to
 * the provider: its fixed authorization URL, our client and callback, a state and a PKCE
 * S256 challenge.
 */
export async function startFlow(
  client: TestClient,
  provider: SocialProviderId,
  path: "/api/auth/sign-in/social" | "/api/auth/link-social" = "/api/auth/sign-in/social",
  callbackURL = "/home",
): Promise<URL> {
  const res = await client.post(path, { provider, callbackURL });
  expect(res.status).toBe(200);
  const { url } = (await res.json()) as { url: string };
  expect(res.headers.get("location")).toBe(url);
  const authorization = new URL(url);
  expect(`${authorization.origin}${authorization.pathname}`).toBe(AUTHORIZE_URL[provider]);
  const params = authorization.searchParams;
  expect(params.get("client_id")).toBe(CLIENTS[provider].clientId);
  expect(params.get("redirect_uri")).toBe(`${TEST_BASE_URL}/api/auth/callback/${provider}`);
  expect(params.get("state")?.length).toBeGreaterThanOrEqual(32);
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return authorization;
}

/** The provider redirects the browser back to Fluxo's callback with a code and the state. */
export function callback(
  client: TestClient,
  provider: SocialProviderId,
  code: string,
  state: string,
) {
  const qs = new URLSearchParams({ code, state });
  return client.fetch(`/api/auth/callback/${provider}?${qs}`);
}

/** The whole round trip for `who`; returns Fluxo's answer to the callback. */
export async function viaProvider(
  fake: FakeProviders,
  client: TestClient,
  provider: SocialProviderId,
  who: Identity,
  path?: "/api/auth/sign-in/social" | "/api/auth/link-social",
): Promise<Response> {
  const authorization = await startFlow(client, provider, path);
  const code = fake.approve(provider, authorization, who);
  return callback(client, provider, code, authorization.searchParams.get("state") ?? "");
}

/** Where the callback sent the browser: the app page on success, `?error=` on refusal. */
export function landing(res: Response): { path: string; error: string | null } {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "", TEST_BASE_URL);
  return { path: location.pathname, error: location.searchParams.get("error") };
}

export const accountsOf = (t: TestApp, userId: string) =>
  t.deps.database.db.select().from(account).where(eq(account.userId, userId));
