import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../server/deps.ts";
import { bearerAuth } from "./auth.ts";
import type { RestEnv } from "./context.ts";
import { restErrorHandler, validationHook } from "./errors.ts";
import { registerReviewRoutes } from "./reviews.ts";
import { registerWebhookDeliveryRoutes } from "./webhook-deliveries.ts";
import { registerWebhookRoutes } from "./webhooks.ts";

export const SECURITY_SCHEME = "bearerApiKey";

/**
 * The public REST API v1, mounted at `/api/v1` by src/server/app.ts: an OpenAPI document at
 * `/openapi.json` (public), then every route behind `Authorization: Bearer <key>`.
 */
export function createRestApi(deps: AppDeps) {
  return restRouter(deps, bearerAuth(deps));
}

/**
 * The REST routes behind any authentication middleware that sets `keyContext` — the
 * benchmark mounts them behind a fixed context to measure what authentication costs.
 * To add a resource: write `registerXRoutes(api, deps)` beside reviews.ts and call it here.
 */
export function restRouter(deps: AppDeps, authenticate: MiddlewareHandler<RestEnv>) {
  const api = new OpenAPIHono<RestEnv>({ defaultHook: validationHook });
  api.onError(restErrorHandler);
  api.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "An organization API key: `Authorization: Bearer flx_…`",
  });
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Fluxo REST API",
      version: "1",
      description:
        'Errors are `{"error": {"code", "message", "details"?}}`; invalid input is a 400 naming `details.field`.',
    },
    servers: [{ url: `${deps.config.baseUrl}/api/v1` }],
    security: [{ [SECURITY_SCHEME]: [] }],
  });
  api.use("*", authenticate);
  registerReviewRoutes(api, deps);
  registerWebhookRoutes(api, deps);
  registerWebhookDeliveryRoutes(api, deps);
  return api;
}
