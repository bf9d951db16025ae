import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { App } from "../../src/server/app.ts";

/** The app behind a real HTTP server on an ephemeral loopback port, as `npm start` serves it. */
export async function serveOnLoopback(app: App) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface StreamedAnswer {
  status: number;
  body: string;
  /** Body bytes the client had written when the answer's head arrived. */
  sentBeforeAnswer: number;
}

/**
 * POSTs a body of `total` bytes (`prefix`, spaces, `suffix`), written in 64 KB chunks, each only
 * after the one before has been flushed, and stops writing as soon as an answer arrives.
 * With `declare`, the request states its Content-Length; without, it is sent chunked. Past
 * `giveUpAfter` bytes without an answer, it stops: the server is reading what it should refuse.
 */
export function streamBody(
  port: number,
  path: string,
  opts: {
    headers: Record<string, string>;
    prefix?: string;
    suffix?: string;
    total: number;
    declare: boolean;
    giveUpAfter?: number;
  },
): Promise<StreamedAnswer> {
  const chunk = Buffer.alloc(64 * 1024, " ");
  const prefix = Buffer.from(opts.prefix ?? "");
  const suffix = Buffer.from(opts.suffix ?? "");
  /** The next piece of the body, `sent` bytes in. */
  const pieceAt = (sent: number) => {
    const left = opts.total - sent;
    if (sent < prefix.length) return prefix.subarray(sent);
    if (left <= suffix.length) return suffix.subarray(suffix.length - left);
    return chunk.subarray(0, Math.min(chunk.length, left - suffix.length));
  };
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      headers: { ...opts.headers, ...(opts.declare && { "content-length": String(opts.total) }) },
    });
    req.on("response", (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer });
        req.destroy();
      });
    });
    // once answered, the server may close the connection under a write that is still going
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      if (answered || req.destroyed) return;
      if (sent >= opts.total) return void req.end();
      if (opts.giveUpAfter !== undefined && sent > opts.giveUpAfter) {
        req.destroy();
        return reject(new Error(`no answer after ${sent} bytes of the body`));
      }
      const piece = pieceAt(sent);
      sent += piece.length;
      req.write(piece, () => setImmediate(write));
    };
    write();
  });
}
