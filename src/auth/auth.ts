import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createAuthMiddleware } from "better-auth/api";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { account, session, user, verification } from "../db/schema/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { Mailer } from "../lib/mailer.ts";
import { recordSecurityEvent } from "../modules/audit/record.ts";
import { CLIENT_IP_HEADER, requestMeta } from "./request-meta.ts";
import { securityEventHooks } from "./security-events.ts";
import { accountSignInThrottle } from "./sign-in-throttle.ts";
import { linkingProviders, socialIdentityGate, socialProviderOptions } from "./social.ts";
import { boundedUserName, refuseLongUserName } from "./user-name.ts";

export { CLIENT_IP_HEADER };

/** The web app's landing page for verification links. */
const VERIFIED_PAGE = "/email-verified";

export interface AuthDeps {
  config: Config;
  db: Db;
  mailer: Mailer;
  logger: Logger;
}

export function createAuth({ config, db, mailer, logger }: AuthDeps) {
  const authLogger = logger.child({ component: "better-auth" });
  const signInThrottle = accountSignInThrottle();
  return betterAuth({
    appName: "Fluxo",
    baseURL: config.baseUrl,
    basePath: "/api/auth",
    secret: config.authSecret,
    trustedOrigins: [config.baseUrl],
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user, session, account, verification },
    }),
    logger: {
      log: (level, message) => authLogger[level](message),
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      // The link opens the web app's reset page, which posts the token with the new password.
      sendResetPassword: async ({ user: u, token }) => {
        const link = `${config.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
        await mailer.send({
          to: u.email,
          subject: "Reset your Fluxo password",
          text: `Someone asked to reset the password of your Fluxo account.\n\nReset it within one hour: ${link}\n\nIf this was not you, ignore this message.`,
        });
      },
      onPasswordReset: async ({ user: u }, request) => {
        signInThrottle.forget(u.email);
        await recordSecurityEvent(
          db,
          { userId: u.id, action: "user.password_reset" },
          requestMeta(request),
        );
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: 24 * 60 * 60,
      sendVerificationEmail: async ({ user: u, url }) => {
        // Whoever asked for the mail, the link verifies and then lands on the web app's page
        // (which shows success, or the error Better Auth appends); a client may only add
        // where that page leads next (`?redirect=`).
        const link = new URL(url);
        const asked = link.searchParams.get("callbackURL") ?? "";
        const landing = asked.startsWith(`${VERIFIED_PAGE}?`) ? asked : VERIFIED_PAGE;
        link.searchParams.set("callbackURL", landing);
        await mailer.send({
          to: u.email,
          subject: "Verify your e-mail address for Fluxo",
          text: `Welcome to Fluxo.\n\nVerify your e-mail address within 24 hours: ${link}\n`,
        });
      },
    },
    // Reset-password tokens are stored as SHA-256 only, like every other link token: a copy of
    // the database must not be enough to take over an account (Better Auth's default is plain).
    verification: { storeIdentifier: "hashed" },
    session: {
      expiresIn: 7 * 24 * 60 * 60,
      updateAge: 24 * 60 * 60,
      cookieCache: { enabled: false },
      additionalFields: {
        activeOrganizationId: { type: "string", required: false, input: false },
      },
    },
    // Per client address (IPv6: per /64); the per-account limit is in the hooks below.
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 5 },
        "/sign-up/email": { window: 60, max: 5 },
        "/request-password-reset": { window: 60, max: 3 },
        "/send-verification-email": { window: 60, max: 3 },
      },
    },
    // Unexpected errors go on to the app's error handler (JSON body, logged with the request
    // id) instead of better-call's console.error and an empty 500.
    onAPIError: { throw: true },
    advanced: {
      disableOriginCheck: false,
      disableCSRFCheck: false,
      useSecureCookies: config.baseUrl.startsWith("https://"),
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER], ipv6Subnet: 64 },
    },
    socialProviders: socialProviderOptions(config),
    user: { validateUserInfo: socialIdentityGate(config) },
    account: {
      // Provider access and refresh tokens are stored encrypted with the auth secret.
      encryptOAuthTokens: true,
      accountLinking: {
        enabled: true,
        trustedProviders: linkingProviders(config),
        allowDifferentEmails: false,
        requireLocalEmailVerified: true,
        allowUnlinkingAll: false,
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        refuseLongUserName(ctx);
        signInThrottle.check(ctx);
      }),
      after: createAuthMiddleware(async (ctx) => signInThrottle.record(ctx)),
    },
    databaseHooks: {
      ...securityEventHooks(db),
      user: {
        create: { before: async (u) => ({ data: { ...u, name: boundedUserName(u.name) } }) },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
