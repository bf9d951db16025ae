import { z } from "@hono/zod-openapi";
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { type PublicError, toHttpStatus, toPublicError } from "../lib/error-map.ts";
import { AppError } from "../lib/errors.ts";
import type { RestEnv } from "./context.ts";

/** The one error body of the REST API: `{"error": {"code", "message", "details"?}}`. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        "BAD_REQUEST",
        "UNAUTHORIZED",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "PAYLOAD_TOO_LARGE",
        "TOO_MANY_REQUESTS",
        "UNAVAILABLE",
        "INTERNAL",
      ]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional().openapi({
        description:
          "`field` names the offending input (snake_case, as sent); `missing_scope` the scope a 403 lacks; a 409 on a decided review carries `status` and `decision`",
      }),
    }),
  })
  .openapi("Error");

const errorDescriptions = {
  400: "Invalid input: `details.field` names the field (query, path, header or body)",
  401: "Missing, malformed, unknown, expired or revoked API key (all answered alike)",
  403: "The API key lacks the scope named in `details.missing_scope`",
  404: "No such object in the key's organization",
  409: "Conflicts with the object's state or a reused Idempotency-Key",
  413: "The body is larger than the server's limit (`details.limit`, in bytes)",
  415: "The body is not sent as application/json",
  429: "Rate limited; retry after `Retry-After` seconds",
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

const errorHeaders: Partial<Record<ErrorStatus, Record<string, object>>> = {
  401: { "WWW-Authenticate": { schema: { type: "string" }, description: 'Bearer realm="fluxo"' } },
  429: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait" } },
};

/**
 * OpenAPI `responses` entries for the error statuses a route can answer with. A route that
 * takes a JSON body (415) can also refuse one as too large (413).
 */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const withBody = statuses.includes(415 as S) ? [413 as const] : [];
  return Object.fromEntries(
    [...new Set<ErrorStatus>([401, 429, ...withBody, ...statuses])].map((status) => [
      status,
      {
        description: errorDescriptions[status],
        ...(errorHeaders[status] && { headers: errorHeaders[status] }),
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  ) as Record<
    S | 401 | 429 | (415 extends S ? 413 : never),
    { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }
  >;
}

/** Request validation failed (query, path, header or body): a 400 naming the field. */
export function validationHook(result: { success: boolean; error?: ZodError }) {
  if (!result.success && result.error) throw result.error;
}

/** Maps anything thrown in the REST API to its public JSON error and status. */
export const restErrorHandler: ErrorHandler<RestEnv> = (error, c) => {
  const { status, body } = restError(error);
  if (body.code === "INTERNAL") c.get("log")?.error({ err: error }, "REST request failed");
  return c.json({ error: body }, status);
};

export function restError(error: unknown): { status: ContentfulStatusCode; body: PublicError } {
  if (error instanceof HTTPException) return fromHttpException(error);
  const body = toPublicError(error);
  return { status: toHttpStatus(body.code), body: snakeCaseField(body) };
}

/** The validators of @hono/zod-openapi throw these for bodies they cannot read. */
function fromHttpException(error: HTTPException) {
  if (error.status === 415) {
    const body = { code: "BAD_REQUEST", message: "Send the body as application/json" } as const;
    return { status: 415 as const, body: { ...body, details: { field: "body" } } };
  }
  if (error.status === 400) {
    const body = { code: "BAD_REQUEST", message: "The request body is not valid JSON" } as const;
    return { status: 400 as const, body: { ...body, details: { field: "body" } } };
  }
  return restError(new AppError(error.status === 404 ? "NOT_FOUND" : "INTERNAL", error.message));
}

/**
 * Services name fields as they call them (`expiresInSeconds`); the wire says
 * `expires_in_seconds`. Every REST field is the snake_case form of its service name.
 */
function snakeCaseField(body: PublicError): PublicError {
  const field = body.details?.field;
  if (typeof field !== "string" || !/^[a-z][A-Za-z0-9.]*[A-Z]/.test(field)) return body;
  const snake = field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
  const message = body.message.startsWith(`${field}:`)
    ? `${snake}${body.message.slice(field.length)}`
    : body.message;
  return { ...body, message, details: { ...body.details, field: snake } };
}

/** Answers with an error status and body directly (middleware that must set headers first). */
export function errorResponse(
  c: Context<RestEnv>,
  error: AppError,
  headers: Record<string, string> = {},
) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  const { status, body } = restError(error);
  return c.json({ error: body }, status);
}
