import { Hono } from "hono";
import type { RequestMeta } from "../access/context.ts";
import { AppError } from "../lib/errors.ts";
import { rateLimitKey } from "../lib/ip.ts";
import type { EngineDeps } from "../modules/workflows/engine/deps.ts";
import { authenticateWebhook, triggerByWebhook } from "../modules/workflows/webhook-trigger.ts";
import { fixedWindowLimiter } from "./rate-limit.ts";

/** Wrong secrets one client address (IPv6: one /64) may send per minute. */
export const BAD_WEBHOOK_SECRETS_PER_MINUTE = 20;

const tooManyRequests = () => new AppError("TOO_MANY_REQUESTS", "Too many requests");
const isNotFound = (error: unknown) => error instanceof AppError && error.code === "NOT_FOUND";

/** Incoming webhooks: the request body becomes the execution's trigger payload. */
export function hookRoutes(
  deps: Pick<EngineDeps, "enqueue" | "db" | "backlog">,
  limits: { perMinute: number },
) {
  const perWorkflow = fixedWindowLimiter(limits.perMinute, 60_000);
  const badSecrets = fixedWindowLimiter(BAD_WEBHOOK_SECRETS_PER_MINUTE, 60_000);
  return new Hono<{ Variables: { meta: RequestMeta } }>().post(
    "/hooks/:workflowId/:secret",
    async (c) => {
      const address = rateLimitKey(c.get("meta").ip ?? "unknown");
      // An address that keeps guessing secrets is refused before any lookup.
      const refused = badSecrets.blocked(address);
      if (refused) {
        c.header("Retry-After", String(refused));
        throw tooManyRequests();
      }
      const target = await authenticateWebhook(deps.db, {
        workflowId: c.req.param("workflowId"),
        secret: c.req.param("secret"),
      }).catch((error: unknown) => {
        if (isNotFound(error)) badSecrets.hit(address);
        throw error;
      });
      // Only a caller that knows the secret spends the workflow's budget: guesses cannot
      // starve its real sender.
      const wait = perWorkflow.hit(target.workflowId);
      if (wait) {
        c.header("Retry-After", String(wait));
        throw tooManyRequests();
      }
      // bounded by FLUXO_MAX_BODY_HOOKS before this route runs (src/server/body-limit.ts)
      const raw = await c.req.text();
      const isJson = (c.req.header("content-type") ?? "").includes("json");
      let body: unknown = raw;
      if (isJson && raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new AppError("BAD_REQUEST", "The request body is not valid JSON", {
            field: "body",
          });
        }
      }
      const payload = {
        body,
        query: c.req.query(),
        headers: { "content-type": c.req.header("content-type") ?? null },
      };
      // A saturated backlog refuses here rather than queueing work nobody will reach in time.
      await deps.backlog.admit(target.orgId).catch((error: unknown) => {
        const retryAfter = error instanceof AppError ? error.details?.retry_after : undefined;
        if (typeof retryAfter === "number") c.header("Retry-After", String(retryAfter));
        throw error;
      });
      try {
        return c.json(await triggerByWebhook(deps, target, payload), 202);
      } catch (error) {
        // The current version has no webhook trigger: the same 404 as a wrong secret.
        if (isNotFound(error)) badSecrets.hit(address);
        throw error;
      }
    },
  );
}
