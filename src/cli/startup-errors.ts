import { ConfigError } from "../config/env.ts";
import { StartupError } from "../lib/startup-error.ts";

/**
 * SQLSTATE classes that mean "this database cannot be used as configured" (connection,
 * authorization, unknown database, server not ready or out of connections) rather than a bug.
 */
const CONFIGURATION_SQLSTATES = /^(08|28|3D|53|57P0[1-3])/;

/**
 * One line naming why the process could not start, for causes an operator fixes (configuration,
 * an unreachable or missing database, a port or data directory in use); undefined for anything
 * else, which keeps its stack.
 */
export function startupErrorLine(
  error: unknown,
  databaseUrl: string | undefined,
): string | undefined {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  const database = databaseUrl ? describeDatabase(databaseUrl) : "the database";
  for (const cause of causes(error)) {
    const { code, syscall } = cause as NodeJS.ErrnoException;
    if (syscall === "connect" || syscall === "getaddrinfo") {
      return `cannot reach ${database}: ${code ?? cause.message}; check DATABASE_URL`;
    }
    if (typeof code === "string" && CONFIGURATION_SQLSTATES.test(code) && "severity" in cause) {
      return `${database} refused the connection: ${cause.message}; check DATABASE_URL`;
    }
  }
  return undefined;
}

/** The error, its causes, and the attempts of an AggregateError (one per address tried). */
function causes(error: unknown): Error[] {
  const found: Error[] = [];
  const visit = (e: unknown) => {
    if (!(e instanceof Error) || found.includes(e)) return;
    found.push(e);
    if (e instanceof AggregateError) for (const inner of e.errors) visit(inner);
    visit(e.cause);
  };
  visit(error);
  return found;
}

/** Host, port and database name of a connection URL; never its credentials. */
function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `the database ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  } catch {
    return "the database in DATABASE_URL";
  }
}
