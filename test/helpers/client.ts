import type { App } from "../../src/server/app.ts";
import { TEST_BASE_URL } from "./app.ts";

export interface TrpcFailure {
  message: string;
  data: { code: string; httpStatus: number; details?: Record<string, unknown> };
}

export class TrpcError extends Error {
  constructor(
    readonly status: number,
    readonly error: TrpcFailure,
  ) {
    super(`${status} ${error.data.code}: ${error.message}`);
  }
}

/**
 * Drives the app in-process the way a browser would: a cookie jar, the Origin header of the
 * app, and a fixed client address (seen by the app as the TCP peer). Requests go to the app's
 * own base URL, so an https app sees https URLs and its own Origin.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  origin: string | null;

  constructor(
    readonly app: App,
    readonly ip: string,
    readonly baseUrl: string = TEST_BASE_URL,
  ) {
    this.origin = new URL(baseUrl).origin;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.origin && !headers.has("origin")) headers.set("origin", this.origin);
    if (this.cookies.size && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    if (typeof init.body === "string" && !headers.has("content-type")) {
      headers.set("content-type", "application/json");
    }
    const env = { incoming: { socket: { remoteAddress: this.ip, remotePort: 40000 } } };
    const res = await this.app.request(`${this.baseUrl}${path}`, { ...init, headers }, env);
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.fetch(path, { method: "POST", body: JSON.stringify(body), headers });
  }

  async query<T = unknown>(path: string, input?: unknown): Promise<T> {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.trpcResult<T>(await this.fetch(`/trpc/${path}${qs}`));
  }

  /** The items of a list procedure that answers one page (`nextCursor` null). */
  async list<T = unknown>(path: `${string}.list`, input?: unknown): Promise<T[]> {
    const page = await this.query<{ items: T[]; nextCursor: string | null }>(path, input);
    if (page.nextCursor !== null) throw new Error(`${path} answered more than one page`);
    return page.items;
  }

  async mutate<T = unknown>(path: string, input?: unknown): Promise<T> {
    return this.trpcResult<T>(await this.post(`/trpc/${path}`, input ?? null));
  }

  /** The error a tRPC call fails with (the test fails if the call succeeds). */
  async trpcError(kind: "query" | "mutate", path: string, input?: unknown): Promise<TrpcError> {
    try {
      await (kind === "query" ? this.query(path, input) : this.mutate(path, input));
    } catch (error) {
      if (error instanceof TrpcError) return error;
      throw error;
    }
    throw new Error(`${path} unexpectedly succeeded`);
  }

  private async trpcResult<T>(res: Response): Promise<T> {
    const body = (await res.json()) as { result?: { data: T }; error?: TrpcFailure };
    if (body.error) throw new TrpcError(res.status, body.error);
    return body.result?.data as T;
  }
}
