import { Hono } from "hono";
import type { RequestMeta } from "../access/context.ts";
import { AppError } from "../lib/errors.ts";
import type { EngineDeps } from "../modules/workflows/engine/deps.ts";
import { triggerByWebhook } from "../modules/workflows/webhook-trigger.ts";
import { fixedWindowLimiter } from "./rate-limit.ts";

const MAX_BODY_BYTES = 1_000_000;

/** Incoming webhooks: the request body becomes the execution's trigger payload. */
export function hookRoutes(
  deps: Pick<EngineDeps, "enqueue" | "db">,
  limits: { perMinute: number },
) {
  const perWorkflow = fixedWindowLimiter(limits.perMinute, 60_000);
  const badSecrets = fixedWindowLimiter(20, 60_000);
  return new Hono<{ Variables: { meta: RequestMeta } }>().post(
    "/hooks/:workflowId/:secret",
    async (c) => {
      const ip = c.get("meta").ip ?? "unknown";
      const workflowId = c.req.param("workflowId");
      // An address that keeps guessing secrets is refused before any lookup.
      const wait = badSecrets.blocked(ip) || perWorkflow.hit(workflowId);
      if (wait) {
        c.header("Retry-After", String(wait));
        throw new AppError("TOO_MANY_REQUESTS", "Too many requests");
      }
      const raw = await c.req.text();
      if (raw.length > MAX_BODY_BYTES)
        throw new AppError("BAD_REQUEST", "The request body is too large");
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
      try {
        const { executionId } = await triggerByWebhook(deps, {
          workflowId,
          secret: c.req.param("secret"),
          payload,
        });
        return c.json({ executionId }, 202);
      } catch (error) {
        if (error instanceof AppError && error.code === "NOT_FOUND") badSecrets.hit(ip);
        throw error;
      }
    },
  );
}
