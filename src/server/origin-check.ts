import type { MiddlewareHandler } from "hono";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF wall for cookie-authenticated state changes outside Better Auth (which checks its own):
 * an unsafe request must name one of our origins in `Origin`, or be marked same-origin by the
 * browser's Fetch Metadata. Anything else is refused before it reaches a procedure.
 */
export function requireSameOrigin(trustedOrigins: string[]): MiddlewareHandler {
  const allowed = new Set(trustedOrigins.map((o) => new URL(o).origin));
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const sameOrigin = origin
      ? allowed.has(origin)
      : c.req.header("sec-fetch-site") === "same-origin";
    if (!sameOrigin) {
      return c.json(
        {
          error: {
            code: "FORBIDDEN",
            message: "Cross-origin request refused: Origin is missing or not trusted",
          },
        },
        403,
      );
    }
    return next();
  };
}
