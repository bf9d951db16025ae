import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { AppError, type ErrorCode } from "./errors.ts";

const httpStatus: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const trpcCode: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** The public shape of any error: never a stack trace, never an internal message. */
export interface PublicError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toPublicError(error: unknown): PublicError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details && { details: error.details }),
    };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map(publicIssue);
    const field = issues[0]?.path || undefined;
    const first = issues[0]?.message ?? "Invalid input";
    const message = field ? `${field}: ${first}` : first;
    return { code: "BAD_REQUEST", message, details: { field, issues } };
  }
  return { code: "INTERNAL", message: "Internal server error" };
}

/** An unknown key is reported at the key itself, so the field names what to remove. */
function publicIssue(issue: ZodError["issues"][number]) {
  if (issue.code === "unrecognized_keys") {
    return { path: [...issue.path, issue.keys[0]].join("."), message: "unknown field" };
  }
  return { path: issue.path.join("."), message: issue.message };
}

export const toHttpStatus = (code: ErrorCode) => httpStatus[code];
export const toTrpcCode = (code: ErrorCode) => trpcCode[code];
