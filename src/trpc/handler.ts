import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Handler } from "hono";
import type { Env } from "../server/app.ts";
import type { AppDeps } from "../server/deps.ts";
import { fixedWindowLimiter } from "../server/rate-limit.ts";
import { defaultPageLimits, tokenLookupThrottle } from "../server/review-pages-guard.ts";
import { appRouter } from "./router.ts";

/** Calls one batched request may carry; larger batches get 400 before any call runs. */
export const TRPC_MAX_BATCH_SIZE = 20;

/**
 * `/trpc/*`: the app router over the fetch adapter. Each signed-in user has a budget of calls
 * per minute (a batch counts each of its calls), so one session cannot monopolise the server.
 */
export function trpcHandler(deps: AppDeps): Handler<Env> {
  const callsPerUser = fixedWindowLimiter(deps.config.trpcRatePerMinute, 60_000);
  const tokenLookups = tokenLookupThrottle(defaultPageLimits);
  return (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      maxBatchSize: TRPC_MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) => ({
        deps,
        headers: c.req.raw.headers,
        meta: c.get("meta"),
        resHeaders,
        callsPerUser,
        tokenLookups,
      }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          c.get("log").error({ err: error.cause ?? error, path }, "tRPC procedure failed");
        }
      },
    });
}
