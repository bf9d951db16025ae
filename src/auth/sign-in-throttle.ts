import { APIError, isAPIError } from "better-auth/api";
import { fixedWindowLimiter } from "../server/rate-limit.ts";
import type { AuthHookContext } from "./hook-context.ts";

/** Wrong passwords one account takes per window before password sign-in to it is refused. */
export const SIGN_IN_FAILURES_PER_ACCOUNT = 10;
export const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

const SIGN_IN_PATH = "/sign-in/email";

const emailOf = (body: unknown) => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase() : undefined;
};

/**
 * A per-account limit on password sign-in, beside Better Auth's per-address one: however many
 * addresses an attacker uses, an account takes at most SIGN_IN_FAILURES_PER_ACCOUNT wrong
 * passwords per window. Once used up, every password sign-in to that account answers 429 with
 * Retry-After, the right password included (else the answer would tell a guess is right).
 *
 * Only failures count, unknown addresses too (the answer must not tell whether one exists).
 * The price: someone who knows an address can keep its password sign-in refused by failing
 * on purpose. The owner gets in through a password reset (proof of the mailbox), which clears
 * the count, or through a social provider; the refusal itself never outlasts the window.
 */
export function accountSignInThrottle() {
  const failures = fixedWindowLimiter(SIGN_IN_FAILURES_PER_ACCOUNT, SIGN_IN_FAILURE_WINDOW_MS);
  return {
    /** Before the endpoint runs: refuses a sign-in to an account whose failures are used up. */
    check(ctx: AuthHookContext) {
      if (ctx.path !== SIGN_IN_PATH) return;
      const email = emailOf(ctx.body);
      const wait = email ? failures.blocked(email) : 0;
      if (wait) {
        throw new APIError(
          "TOO_MANY_REQUESTS",
          {
            code: "TOO_MANY_FAILED_SIGN_INS",
            message: `Too many failed sign-ins to this account; retry in ${wait} seconds or reset the password`,
          },
          { "Retry-After": String(wait) },
        );
      }
    },
    /** After it ran: counts a wrong password. */
    record(ctx: AuthHookContext) {
      if (ctx.path !== SIGN_IN_PATH) return;
      const returned = ctx.context.returned;
      const email = emailOf(ctx.body);
      if (email && isAPIError(returned) && returned.statusCode === 401) failures.hit(email);
    },
    /** After a password reset the owner has proved the mailbox: earlier failures no longer count. */
    forget: (email: string) => failures.forget(email.trim().toLowerCase()),
  };
}
