import pg from "pg";
import type { Outbound } from "../outbound.ts";

export type SslMode = "disable" | "require" | "verify-full";

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  ssl: SslMode;
}

/** Reads a postgres:// URL into its parts (sslmode from the query, libpq style). */
export function parsePostgresUrl(value: string): PostgresTarget {
  const url = new URL(value);
  const sslmode = url.searchParams.get("sslmode");
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres",
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    ssl: sslmode === "verify-full" ? "verify-full" : sslmode === "require" ? "require" : "disable",
  };
}

/**
 * A pg client connected through the outbound guard: the host is resolved and judged once,
 * and the connection goes to that vetted address (TLS still checks the original name).
 */
export async function connectPostgres(
  outbound: Outbound,
  target: PostgresTarget,
  options: { timeoutMs?: number } = {},
): Promise<pg.Client> {
  const vetted = await outbound.vetHost(target.host, target.port);
  const client = new pg.Client({
    host: vetted.address,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    ssl:
      target.ssl === "disable"
        ? false
        : { servername: vetted.hostname, rejectUnauthorized: target.ssl === "verify-full" },
    connectionTimeoutMillis: options.timeoutMs ?? 10_000,
    statement_timeout: options.timeoutMs ?? 10_000,
  });
  client.on("error", () => {}); // surfaced by the failing query instead of crashing the process
  await client.connect();
  return client;
}
