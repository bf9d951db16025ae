import type { BetterAuthOptions } from "better-auth";
import type { Config } from "../config/config.ts";
import { SOCIAL_PROVIDER_IDS, type SocialProviderId } from "../config/social.ts";

const names: Record<SocialProviderId, string> = {
  google: "Google",
  github: "GitHub",
  dropbox: "Dropbox",
};

/** The providers a user can sign in with here, for the UI's "Continue with …" buttons. */
export function enabledProviders(config: Config): { id: SocialProviderId; name: string }[] {
  return SOCIAL_PROVIDER_IDS.filter((id) => config.socialProviders?.[id]).map((id) => ({
    id,
    name: names[id],
  }));
}

/** Better Auth's `socialProviders`: only those with a client id and secret. */
export function socialProviderOptions(config: Config): BetterAuthOptions["socialProviders"] {
  const common = {
    // A user whose e-mail is unverified here gets no session (the gate below already refuses
    // such identities; this is the second wall).
    requireEmailVerification: true,
    // Only the redirect flow: a bare id token POSTed by a client is not accepted as sign-in.
    disableIdTokenSignIn: true,
  };
  const { google, github, dropbox } = config.socialProviders ?? {};
  return {
    ...(google && { google: { ...google, ...common } }),
    ...(github && { github: { ...github, ...common } }),
    ...(dropbox && { dropbox: { ...dropbox, ...common } }),
  };
}

/** Providers trusted to join an existing account (all of them unless configured). */
export function linkingProviders(config: Config): SocialProviderId[] {
  return [...(config.accountLinkingProviders ?? SOCIAL_PROVIDER_IDS)];
}

type ValidateUserInfo = NonNullable<NonNullable<BetterAuthOptions["user"]>["validateUserInfo"]>;

/**
 * Better Auth links an identity to an existing user when the provider is trusted OR says the
 * e-mail is verified, and creates users from unverified provider e-mails. Fluxo wants more:
 * a provider identity counts only with a verified e-mail, and joins an existing user only if
 * the provider is trusted for linking and the local user's e-mail is verified too.
 * Better Auth calls this before creating a user, linking an account (implicitly at sign-in or
 * through link-social) and on returning sign-ins; a returned error refuses the step.
 */
export function socialIdentityGate(config: Config): ValidateUserInfo {
  const trusted = new Set<string>(linkingProviders(config));
  return async ({ user, source }, ctx) => {
    if (source.method !== "oauth" || source.action === "sign-in") return;
    if (user.emailVerified !== true) {
      return {
        error: "email_not_verified",
        errorDescription: "The provider has not verified this e-mail address",
      };
    }
    if (source.action !== "link-account") return;
    if (!trusted.has(source.oauth?.providerId ?? "")) {
      return {
        error: "linking_not_allowed",
        errorDescription: "This provider cannot be linked to an existing account",
      };
    }
    const local =
      typeof user.id === "string" ? await ctx.context.internalAdapter.findUserById(user.id) : null;
    if (!local?.emailVerified) {
      return {
        error: "linking_not_allowed",
        errorDescription: "Verify your e-mail address before linking",
      };
    }
  };
}
