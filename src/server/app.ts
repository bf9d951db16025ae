import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { RequestMeta } from "../access/context.ts";
import { CLIENT_IP_HEADER } from "../auth/auth.ts";
import { toHttpStatus, toPublicError } from "../lib/error-map.ts";
import { type Logger, redactPath } from "../lib/logger.ts";
import { createRestApi } from "../rest/app.ts";
import { trpcHandler } from "../trpc/handler.ts";
import { apiDocsRoutes } from "./api-docs.ts";
import { limitRequestBodies } from "./body-limit.ts";
import { clientIpResolver } from "./client-ip.ts";
import type { AppDeps } from "./deps.ts";
import { healthRoutes } from "./health.ts";
import { hookRoutes } from "./hooks.ts";
import { requireSameOrigin } from "./origin-check.ts";
import { reviewPageRoutes } from "./review-pages.ts";
import { webAppHandler } from "./web-app.ts";

/** What the outer middleware gives every request; sub-apps may add more variables. */
export type Env = { Variables: { meta: RequestMeta; log: Logger; requestId: string } };

/** Headers a client could use to claim an address; only the app decides the client IP. */
const spoofableIpHeaders = ["x-forwarded-for", "x-real-ip", "forwarded", CLIENT_IP_HEADER];

export function createApp(deps: AppDeps) {
  const app = new Hono<Env>();

  useRequestContext(app, deps);
  limitRequestBodies(app, deps.config.bodyLimits);

  app.route("/", healthRoutes(deps));
  app.route("/", hookRoutes(deps.engine, { perMinute: deps.config.webhookRatePerMinute }));
  app.route("/", reviewPageRoutes(deps));
  app.route("/api/v1", createRestApi(deps));
  app.route("/", apiDocsRoutes());

  app.on(["GET", "POST"], "/api/auth/*", (c) => {
    const headers = new Headers(c.req.raw.headers);
    for (const name of spoofableIpHeaders) headers.delete(name);
    const ip = c.get("meta").ip;
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    return deps.auth.handler(new Request(c.req.raw, { headers }));
  });

  app.use("/trpc/*", requireSameOrigin([deps.config.baseUrl]));
  app.all("/trpc/*", trpcHandler(deps));

  // Last: the web app answers page paths the routes above do not own.
  app.get("*", webAppHandler());

  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "Not found" } }, 404));
  app.onError((error, c) => {
    const publicError = toPublicError(error);
    if (publicError.code === "INTERNAL") c.get("log")?.error({ err: error }, "unhandled error");
    return c.json({ error: publicError }, toHttpStatus(publicError.code));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * What every request gets first: a generated id, secure headers, its meta (client IP, user
 * agent) and one log line with the redacted path, status and duration.
 */
export function useRequestContext<E extends Env>(
  app: Hono<E>,
  deps: Pick<AppDeps, "config" | "logger">,
): void {
  const clientIp = clientIpResolver(deps.config.trustedProxies);
  // Ids are always generated here: a client-chosen X-Request-Id could forge log correlation.
  app.use(requestId({ headerName: "" }));
  // DENY, like every CSP here says with frame-ancestors 'none' (the default is SAMEORIGIN).
  app.use(secureHeaders({ xFrameOptions: "DENY" }));
  app.use(async (c, next) => {
    const meta: RequestMeta = {
      requestId: c.get("requestId"),
      ip: clientIp(c),
      userAgent: c.req.header("user-agent"),
    };
    const log = deps.logger.child({ reqId: meta.requestId });
    c.set("meta", meta);
    c.set("log", log);
    const started = performance.now();
    await next();
    // requestId() only reaches responses built through `c`; handlers that return their own
    // Response (Better Auth, tRPC) would lose it, and the client could not quote it to support.
    c.header("X-Request-Id", meta.requestId);
    log.info(
      {
        req: { method: c.req.method, path: redactPath(c.req.path), ip: meta.ip },
        res: { status: c.res.status },
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  });
}
