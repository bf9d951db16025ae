import type { RequestMeta } from "../access/context.ts";

/** The only header Better Auth reads the client IP from; the app sets it from the resolved peer. */
export const CLIENT_IP_HEADER = "x-fluxo-client-ip";

/** Client address and user agent of a request that reached Better Auth through the app. */
export function requestMeta(
  request: Request | undefined | null,
): Pick<RequestMeta, "ip" | "userAgent"> {
  return {
    ip: request?.headers.get(CLIENT_IP_HEADER) ?? undefined,
    userAgent: request?.headers.get("user-agent") ?? undefined,
  };
}
