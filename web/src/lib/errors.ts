import { AuthError } from "./auth.ts";
import { isApiError } from "./trpc.ts";

/** The message the API gave, for error states and toasts. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong";
}

/** True when the request failed because nobody is signed in (the session expired). */
export function isUnauthorized(error: unknown): boolean {
  if (isApiError(error)) return error.data?.httpStatus === 401;
  return error instanceof AuthError && error.status === 401;
}

const statusOf = (error: unknown): number | undefined =>
  isApiError(error)
    ? error.data?.httpStatus
    : error instanceof AuthError
      ? error.status
      : undefined;

/** True when the API refused the request itself (4xx): asking again gets the same answer. */
export function isClientError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500;
}

/** A refusal that stands however often it is asked (a rate limit or time-out passes later). */
export const isFinalRefusal = (error: unknown): boolean =>
  isClientError(error) && statusOf(error) !== 429 && statusOf(error) !== 408;
