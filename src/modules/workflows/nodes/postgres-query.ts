import type pg from "pg";
import { z } from "zod";
import { AppError } from "../../../lib/errors.ts";
import {
  connectPostgres,
  type PostgresTarget,
  parsePostgresUrl,
} from "../../../net/clients/postgres.ts";
import { postgres } from "../../vault/types/postgres.ts";
import type { UnsealedCredential } from "../../vault/use.ts";
import { outboundFailure, readCredential, untilAborted } from "./support.ts";
import { defineNode, type NodeContext } from "./types.ts";

/** Rows kept in the output; the rest are counted in rowCount and flagged as truncated. */
export const MAX_ROWS = 1000;
const DEFAULT_TIMEOUT_MS = 30_000;

export const postgresQueryParameters = z.strictObject({
  query: z
    .string()
    .min(1, "is required")
    .max(100_000)
    .describe("One SQL statement; placeholders $1, $2 … take the values."),
  values: z
    .array(z.json())
    .max(1000)
    .default([])
    .describe("Bound to $1, $2 … by the server, never spliced into the SQL."),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(300_000)
    .optional()
    .describe(`Connect and statement timeout, in milliseconds (default ${DEFAULT_TIMEOUT_MS}).`),
});

type Parameters = z.output<typeof postgresQueryParameters>;

function target(credential: UnsealedCredential): PostgresTarget {
  const { settings, secret } = readCredential(credential, postgres);
  if (settings.mode === "url") return parsePostgresUrl(secret.connectionUrl ?? "");
  const { host, port, database, user, ssl } = settings;
  return { host, port, database, user, ssl, password: secret.password };
}

/** Row values as JSON: timestamps as ISO strings, bytea as Postgres hex text. */
function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString("hex")}`;
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

const jsonRow = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)]));

/** Server errors keep their message (it names SQL, not the password) and SQLSTATE. */
function queryFailure(error: unknown, timeoutMs: number): unknown {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return error;
  if (e.code === "57014") {
    return new Error(`PostgreSQL query cancelled after ${timeoutMs} ms (statement_timeout)`);
  }
  const message = `PostgreSQL query failed: ${String(e.message)} (SQLSTATE ${e.code})`;
  // Class 42: syntax or access rule, e.g. a typo or several statements. Fix the node, not retry.
  if (e.code.startsWith("42")) return new AppError("BAD_REQUEST", message, { field: "query" });
  return new Error(message);
}

async function connect(ctx: NodeContext<Parameters>, t: PostgresTarget, timeoutMs: number) {
  const where = `PostgreSQL connection to ${t.host}:${t.port}/${t.database}`;
  const connecting = connectPostgres(ctx.outbound, t, { timeoutMs });
  try {
    // A connection that completes after the abort is closed as soon as it exists.
    return await untilAborted(ctx.signal, connecting, where, () => {
      connecting.then((client) => client.end()).catch(() => {});
    });
  } catch (error) {
    const mapped = outboundFailure(error, where, timeoutMs);
    if (mapped !== error || ctx.signal.aborted) throw mapped;
    const code = (error as { code?: string }).code;
    // Wrong password, user or database: a credential problem, not a transient one.
    if (code === "28P01" || code === "28000" || code === "3D000") {
      throw new AppError("BAD_REQUEST", `${where} failed: ${(error as Error).message}`, {
        field: "credential",
      });
    }
    throw new Error(`${where} failed: ${(error as Error).message}`);
  }
}

export const postgresQuery = defineNode({
  type: "postgres_query",
  displayName: "PostgreSQL query",
  kind: "action",
  parameters: postgresQueryParameters,
  literalFields: ["query"],
  credential: { types: ["postgres"], required: true },
  timeoutMs: 60_000,
  async run(ctx) {
    const { query, values } = ctx.parameters;
    const timeoutMs = ctx.parameters.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return ctx.useCredential(async (credential) => {
      const client = await connect(ctx, target(credential), timeoutMs);
      // end() must run once: a second call can wait for an 'end' event that already passed.
      let closing: Promise<void> | undefined;
      const close = () => {
        closing ??= client.end().catch(() => {});
        return closing;
      };
      let result: pg.QueryResult<Record<string, unknown>>;
      try {
        // The extended protocol, even without values: one statement, parameters bound by the
        // server. The cast: queryMode is pg's, missing from @types/pg.
        const config = { text: query, values, queryMode: "extended" } as pg.QueryConfig;
        const running = client.query<Record<string, unknown>>(config);
        result = await untilAborted(ctx.signal, running, "PostgreSQL query", close);
      } catch (error) {
        throw ctx.signal.aborted ? error : queryFailure(error, timeoutMs);
      } finally {
        await close();
      }
      const rows = result.rows.slice(0, MAX_ROWS).map(jsonRow);
      return {
        output: {
          rowCount: result.rowCount,
          rows,
          truncated: result.rows.length > MAX_ROWS,
          columns: result.fields.map((f) => f.name),
        },
      };
    });
  },
});
