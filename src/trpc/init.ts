import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { RequestMeta } from "../access/context.ts";
import { loadMemberContext, loadUserContext } from "../auth/context.ts";
import { toPublicError, toTrpcCode } from "../lib/error-map.ts";
import { AppError } from "../lib/errors.ts";
import type { AppDeps } from "../server/deps.ts";
import type { fixedWindowLimiter } from "../server/rate-limit.ts";
import type { tokenLookupThrottle } from "../server/review-pages-guard.ts";

export interface TrpcContext {
  deps: AppDeps;
  headers: Headers;
  meta: RequestMeta;
  /** Headers of the HTTP response (e.g. Retry-After). */
  resHeaders: Headers;
  /** Calls per signed-in user and minute (FLUXO_TRPC_RATE_PER_MINUTE). */
  callsPerUser: ReturnType<typeof fixedWindowLimiter>;
  /** Public lookups by a mailed token, per client address (as the review links). */
  tokenLookups: ReturnType<typeof tokenLookupThrottle>;
}

const t = initTRPC.context<TrpcContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const publicError = publicErrorOf(error);
    return {
      message: publicError.message,
      code: shape.code,
      data: {
        code: publicError.code,
        httpStatus: shape.data.httpStatus,
        ...("details" in publicError && publicError.details
          ? { details: publicError.details }
          : {}),
      },
    };
  },
});

/** What a client may see of a tRPC error. */
function publicErrorOf(error: TRPCError): { code: string; message: string; details?: unknown } {
  const cause = error.cause;
  if (
    error.code === "INTERNAL_SERVER_ERROR" ||
    cause instanceof AppError ||
    cause instanceof ZodError
  ) {
    return toPublicError(cause ?? error);
  }
  // tRPC's own refusals (malformed JSON, wrong method, unknown procedure) are client errors:
  // keep their code and status. Any other cause (e.g. the JSON parser's) used to be reported
  // as INTERNAL under a 400; its message echoes the input, so a fixed one is given instead.
  return { code: error.code, message: cause ? "The request could not be parsed" : error.message };
}

/**
 * Gives AppErrors their own tRPC code (and so HTTP status) instead of a generic 500; a refusal
 * that says when to come back (`retry_after`) also sets Retry-After.
 */
const mapAppErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  const cause = result.ok ? undefined : result.error.cause;
  const retryAfter = cause instanceof AppError ? cause.details?.retry_after : undefined;
  if (typeof retryAfter === "number") ctx.resHeaders.set("Retry-After", String(retryAfter));
  if (cause instanceof AppError || cause instanceof ZodError) {
    // Services validate again (they are transport-neutral): their zod errors are client errors too.
    const { code, message } = toPublicError(cause);
    throw new TRPCError({ code: toTrpcCode(code), message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapAppErrors);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await loadUserContext(ctx.deps, ctx.headers, ctx.meta);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  const wait = ctx.callsPerUser.hit(user.userId);
  if (wait) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many requests; retry in ${wait} seconds`, {
      retry_after: wait,
    });
  }
  return next({ ctx: { user } });
});

/**
 * Public procedures that look something up by a secret token: throttled per client address,
 * and an address that presents unknown tokens (NOT_FOUND) is cut off like on the review pages.
 */
export const tokenProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const wait = ctx.tokenLookups.wait(ctx.meta.ip);
  if (wait) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many requests; retry in ${wait} seconds`, {
      retry_after: wait,
    });
  }
  const result = await next();
  // Inside mapAppErrors: the service's AppError is still the cause here.
  const cause = result.ok ? undefined : result.error.cause;
  if (cause instanceof AppError && cause.code === "NOT_FOUND")
    ctx.tokenLookups.badToken(ctx.meta.ip);
  return result;
});

export const orgProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const member = await loadMemberContext(ctx.user);
  return next({ ctx: { member } });
});
