import { getTRPCErrorShape, TRPCError } from "@trpc/server";
import { toTrpcCode } from "../lib/error-map.ts";
import type { AppError } from "../lib/errors.ts";
import { appRouter } from "./router.ts";

/**
 * An error raised before tRPC reads the request (a body refused by its limit), answered in
 * the shape and status tRPC gives its own errors, through the same error formatter.
 */
export function trpcErrorResponse(error: AppError): Response {
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error: new TRPCError({ code: toTrpcCode(error.code), message: error.message, cause: error }),
    type: "unknown",
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return Response.json({ error: shape }, { status: shape.data.httpStatus });
}
