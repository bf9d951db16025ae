import type { TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";

export interface RestError {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface RestAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A program calling REST v1 with one API key (or none, or any Authorization header), from
 * its own client address.
 */
export function restCaller(t: TestApp, key: string | null, client: TestClient = t.client()) {
  const send = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RestAnswer<T>> => {
    const all = { ...(key && { authorization: `Bearer ${key}` }), ...headers };
    const init: RequestInit = { method, headers: all };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const res = await client.fetch(`/api/v1${path}`, init);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  };
  return {
    client,
    key,
    get: <T = unknown>(path: string, headers?: Record<string, string>) =>
      send<T>("GET", path, undefined, headers),
    post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
      send<T>("POST", path, body, headers),
    delete: <T = unknown>(path: string) => send<T>("DELETE", path),
  };
}

export type RestCaller = ReturnType<typeof restCaller>;
