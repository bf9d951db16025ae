import { APIError } from "better-auth/api";
import type { AuthHookContext } from "./hook-context.ts";

/** The longest display name, as the app's forms allow it. */
export const MAX_USER_NAME_LENGTH = 100;

/** Better Auth endpoints that take a display name from the client. */
const NAMING_PATHS = new Set(["/sign-up/email", "/update-user"]);

/**
 * Better Auth takes a name of any length (up to the body limit); the name is shown beside
 * the e-mail address in reviews, members and the audit log, so it is bounded here: a longer
 * one is a 400 naming the field, before anything is written.
 */
export function refuseLongUserName(ctx: AuthHookContext) {
  if (!ctx.path || !NAMING_PATHS.has(ctx.path)) return;
  const name = (ctx.body as { name?: unknown } | undefined)?.name;
  if (typeof name === "string" && name.length > MAX_USER_NAME_LENGTH) {
    throw new APIError("BAD_REQUEST", {
      code: "NAME_TOO_LONG",
      message: `name: at most ${MAX_USER_NAME_LENGTH} characters`,
    });
  }
}

/**
 * A new user's name as stored. A form's name over the bound was refused above; a social
 * provider's (its profile, not the user's input here) is cut to it instead of failing the
 * sign-up.
 */
export const boundedUserName = (name: string) => name.trim().slice(0, MAX_USER_NAME_LENGTH);
