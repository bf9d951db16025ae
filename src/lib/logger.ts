import { type Logger, pino } from "pino";

/** Paths whose values never reach a log line, wherever they appear. */
export const redactPaths = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "secret",
  "authorization",
  "cookie",
  "*.password",
  "*.newPassword",
  "*.currentPassword",
  "*.token",
  "*.secret",
  "*.authorization",
  "*.cookie",
  "*.apiKey",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * Paths that carry a secret token as a segment (the mailed password-reset link). The request
 * log writes paths, so these segments are masked before they reach it.
 */
const tokenInPath = [
  /^(\/api\/auth\/reset-password\/)[^/]+/,
  /^(\/[rq]\/)[^/]+/, // public review links and quick actions
  /^(\/hooks\/[^/]+\/)[^/]+/, // incoming-webhook secrets
];

export function redactPath(path: string): string {
  return tokenInPath.reduce((p, pattern) => p.replace(pattern, "$1[redacted]"), path);
}

/**
 * Errors are logged with their stack, but a failed query's message carries its bound
 * parameters (tokens, e-mail addresses): those are cut off before the line is written.
 */
function serializeError(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const key of ["message", "stack"]) {
    const text = serialized[key];
    if (typeof text === "string")
      serialized[key] = text.replace(/\nparams: .*$/gm, "\nparams: [redacted]");
  }
  return serialized;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: "[redacted]" },
      serializers: { err: serializeError },
      base: { service: "fluxo" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
