import type { Context, Env, Hono, MiddlewareHandler } from "hono";
import type { BodyLimits } from "../config/body-limits.ts";
import { AppError } from "../lib/errors.ts";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../lib/json-depth.ts";
import { trpcErrorResponse } from "../trpc/refusal.ts";

/** Answers a refused body in the error format of its surface; by default the app's own. */
export type Refuse = (c: Context, error: AppError) => Response | Promise<Response>;

const rethrow: Refuse = (_c, error) => {
  throw error;
};

/**
 * Reads a request body only up to `maxBytes` before any handler sees it. A Content-Length over
 * the limit is refused before a byte is read; a body without one (chunked) is counted as it
 * streams and refused at the first chunk past the limit. The rest is left unread (the Node
 * server discards it briefly after the answer, then closes the connection). A JSON body nested deeper than MAX_JSON_DEPTH is refused here too,
 * before a parser or anything that walks the value can overflow the stack on it.
 */
export function boundedBody(maxBytes: number, refuse: Refuse = rethrow): MiddlewareHandler {
  return async (c, next) => {
    const stream = c.req.raw.body;
    if (!stream) return next();
    const declared = Number(c.req.header("content-length"));
    if (declared > maxBytes) return refuse(c, tooLarge(maxBytes));
    const body = await readUpTo(stream, maxBytes);
    if (!body) return refuse(c, tooLarge(maxBytes));
    if (isJson(c.req.header("content-type")) && nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      return refuse(c, tooDeep());
    }
    // handlers read the bytes already read, as if from the original stream
    c.req.raw = new Request(c.req.raw, { body });
    await next();
  };
}

/** The whole body, or null as soon as it grows past `maxBytes`. */
async function readUpTo(stream: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
}

const isJson = (contentType: string | undefined) => /json/i.test(contentType ?? "");

const tooLarge = (maxBytes: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes} bytes`, {
    field: "body",
    limit: maxBytes,
  });

const tooDeep = () =>
  new AppError(
    "BAD_REQUEST",
    `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
    { field: "body" },
  );

/**
 * Bounds the body of every surface that reads one, before its routes run; each refusal is in
 * the error format of its surface. (Review pages bound their forms where they are routed.)
 */
export function limitRequestBodies<E extends Env>(app: Hono<E>, limits: BodyLimits) {
  app.use("/hooks/*", boundedBody(limits.hooks));
  app.use("/api/v1/*", boundedBody(limits.api));
  app.use("/api/auth/*", boundedBody(limits.auth));
  app.use(
    "/trpc/*",
    boundedBody(limits.trpc, (_c, error) => trpcErrorResponse(error)),
  );
}
