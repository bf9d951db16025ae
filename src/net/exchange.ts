/**
 * One HTTP request/response over a socket that is already connected to a vetted address.
 * node:http's ClientRequest is given that socket through `createConnection`, so it never
 * resolves or connects anything itself; the Host header carries the original name.
 */
import http from "node:http";
import type net from "node:net";
import { OutboundError, OutboundResponseTooLargeError, OutboundTimeoutError } from "./errors.ts";

export interface ExchangeRequest {
  method: string;
  /** Path and query, e.g. "/v1/items?x=1". */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ExchangeLimits {
  deadline: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Past maxResponseBytes: fail (default), or keep the first bytes and stop reading. */
  truncate?: boolean;
  /** "host:port" for messages. */
  label: string;
}

export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
  /** The body is only the first maxResponseBytes (with `truncate`). */
  truncated: boolean;
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header value the Fetch Headers class refuses is dropped rather than failing the call.
    }
  }
  return headers;
}

export function exchange(
  socket: net.Socket,
  request: ExchangeRequest,
  limits: ExchangeLimits,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request({
      createConnection: () => socket,
      method: request.method,
      path: request.path,
      headers: request.headers,
      setHost: false,
    });
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      socket.destroy();
      reject(err);
    };
    // The deadline covers headers and body: a server that trickles bytes cannot hold us.
    const timer = setTimeout(
      () => fail(new OutboundTimeoutError(limits.label, limits.timeoutMs)),
      Math.max(0, limits.deadline - Date.now()),
    );
    req.on("error", (err) =>
      fail(
        err instanceof OutboundError
          ? err
          : new OutboundError("connect", `Request to ${limits.label} failed: ${err.message}`, {
              cause: err,
            }),
      ),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: toHeaders(res.rawHeaders),
          body: Buffer.concat(chunks),
          truncated,
        });
        // the rest is never read: the connection cannot be reused
        if (truncated) socket.destroy();
      };
      const declared = Number(res.headers["content-length"]);
      if (!limits.truncate && Number.isFinite(declared) && declared > limits.maxResponseBytes) {
        fail(new OutboundResponseTooLargeError(limits.label, limits.maxResponseBytes));
        return;
      }
      res.on("data", (chunk: Buffer) => {
        const room = limits.maxResponseBytes - size;
        if (chunk.length <= room) {
          chunks.push(chunk);
          size += chunk.length;
          return;
        }
        if (!limits.truncate) {
          fail(new OutboundResponseTooLargeError(limits.label, limits.maxResponseBytes));
          return;
        }
        chunks.push(chunk.subarray(0, room));
        size += room;
        finish(true);
      });
      res.on("error", (err) => fail(new OutboundError("connect", err.message, { cause: err })));
      res.on("close", () => {
        if (!res.complete)
          fail(new OutboundError("connect", `Response from ${limits.label} was cut off`));
      });
      res.on("end", () => finish(false));
    });
    req.end(request.body);
  });
}
