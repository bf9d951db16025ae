import { createAuthClient } from "better-auth/react";

/** Better Auth's client for sign-in/up/out, verification, password reset and sessions. */
export const authClient = createAuthClient({ basePath: "/api/auth" });

/** Better Auth answers `{ data, error }`; pages want a thrown Error with the server's message. */
export async function unwrap<T>(
  result: Promise<
    { data: T; error: null } | { data: null; error: { message?: string; status: number } }
  >,
): Promise<T> {
  const { data, error } = await result;
  if (error) throw new AuthError(error.message || `Request failed (${error.status})`, error.status);
  return data as T;
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
