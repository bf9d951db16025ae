import type { RawEnv } from "./env.ts";

/** The social sign-in providers Fluxo supports, in the order the UI shows them. */
export const SOCIAL_PROVIDER_IDS = ["google", "github", "dropbox"] as const;
export type SocialProviderId = (typeof SOCIAL_PROVIDER_IDS)[number];

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export type SocialProviderClients = Partial<Record<SocialProviderId, OAuthClient>>;

/** The providers whose client id and secret are set (parseEnv refused half a pair). */
export function socialProviderClients(env: RawEnv): SocialProviderClients {
  const pairs = {
    google: [env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET],
    github: [env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET],
    dropbox: [env.DROPBOX_CLIENT_ID, env.DROPBOX_CLIENT_SECRET],
  } satisfies Record<SocialProviderId, [string | undefined, string | undefined]>;
  const clients: SocialProviderClients = {};
  for (const id of SOCIAL_PROVIDER_IDS) {
    const [clientId, clientSecret] = pairs[id];
    if (clientId && clientSecret) clients[id] = { clientId, clientSecret };
  }
  return clients;
}
