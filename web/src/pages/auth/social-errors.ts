/**
 * What a refused social sign-in or link means. Better Auth sends the browser back with
 * `?error=<code>` (its own codes, lower case); unknown codes still show, with the code.
 */
const messages: Record<string, string> = {
  email_not_verified:
    "The provider has not verified the e-mail address of that account, so it cannot sign in here.",
  account_not_linked:
    "An account with this e-mail address already exists. Sign in with your password (after verifying your address), then link the provider on your account page.",
  linking_not_allowed:
    "This provider may not be joined to an existing account here. Sign in with your password.",
  email_does_not_match:
    "That provider account has a different e-mail address from this account, so it was not linked.",
  access_denied: "Access was not granted at the provider.",
  state_mismatch: "The sign-in was started in another window or took too long. Try again.",
  please_restart_the_process: "The sign-in took too long. Try again.",
};

export const socialErrorMessage = (code: string): string =>
  messages[code.toLowerCase()] ?? `Signing in with the provider failed (${code}).`;
