/**
 * Against the real PostgreSQL on 127.0.0.1:5432 (database "test", user postgres, trust auth).
 * Every connection is made by the node itself, through the guard.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { MAX_ROWS, postgresQuery } from "./postgres-query.ts";
import { credential, failure, outputOf, runNode } from "./testing.ts";

const fields = (overrides: Record<string, unknown> = {}) =>
  credential(
    "postgres",
    {
      mode: "fields",
      host: "127.0.0.1",
      port: 5432,
      database: "test",
      user: "postgres",
      ssl: "disable",
      ...overrides,
    },
    { password: "unused-with-trust-auth" },
  );

const db = fields();
const suffix = randomBytes(4).toString("hex");
const notes = `fluxo_node_notes_${suffix}`;
const victim = `fluxo_node_victim_${suffix}`;

const query = async (sql: string, values: unknown[] = [], options = {}) =>
  outputOf(await runNode(postgresQuery, { query: sql, values }, { credential: db, ...options }));

describe("postgres_query node", () => {
  beforeAll(async () => {
    await query(`create table ${notes} (id serial primary key, body text, n int, meta jsonb)`);
    await query(`create table ${victim} (id int)`);
  });

  afterAll(async () => {
    await query(`drop table if exists ${notes}`);
    await query(`drop table if exists ${victim}`);
  });

  it("binds values as parameters: an injection attempt is stored literally", async () => {
    const attack = `'); drop table ${victim}; --`;
    const inserted = await query(
      `insert into ${notes} (body, n, meta) values ($1, $2, $3) returning id, body, n, meta`,
      [attack, 42, { tags: ["a"] }],
    );
    expect(inserted).toMatchObject({
      rowCount: 1,
      truncated: false,
      columns: ["id", "body", "n", "meta"],
    });
    expect(inserted.rows).toEqual([
      { id: expect.any(Number), body: attack, n: 42, meta: { tags: ["a"] } },
    ]);

    const selected = await query(`select body from ${notes} where n = $1`, [42]);
    expect(selected.rows).toEqual([{ body: attack }]);
    const stillThere = await query("select to_regclass($1) is not null as exists", [victim]);
    expect(stillThere.rows).toEqual([{ exists: true }]);
  });

  it("refuses several statements in one query", async () => {
    const error = await failure(query(`select 1; drop table ${victim}`));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ details: { field: "query" } });
    expect(error.message).toMatch(
      /^PostgreSQL query failed: .*multiple commands.*\(SQLSTATE 42601\)$/,
    );
    const stillThere = await query("select to_regclass($1) is not null as exists", [victim]);
    expect(stillThere.rows).toEqual([{ exists: true }]);
  });

  it(`keeps the first ${MAX_ROWS} rows and counts the rest`, async () => {
    const output = await query("select g from generate_series(1, $1::int) g", [MAX_ROWS + 500]);
    expect(output.rowCount).toBe(MAX_ROWS + 500);
    expect(output.truncated).toBe(true);
    expect((output.rows as unknown[]).length).toBe(MAX_ROWS);
    expect((output.rows as unknown[])[0]).toEqual({ g: 1 });
  });

  it("outputs JSON-safe values: timestamps as ISO text, bytea as hex, int8 as text", async () => {
    const output = await query(
      "select timestamptz '2024-05-06 07:08:09+00' as at, '\\x01ff'::bytea as raw, 9007199254740993::int8 as big",
    );
    expect(output.rows).toEqual([
      { at: "2024-05-06T07:08:09.000Z", raw: "\\x01ff", big: "9007199254740993" },
    ]);
  });

  it("connects with a connection URL credential too", async () => {
    const byUrl = credential(
      "postgres",
      { mode: "url" },
      { connectionUrl: "postgres://postgres@127.0.0.1:5432/test" },
    );
    const result = await runNode(
      postgresQuery,
      { query: "select current_database() as db" },
      { credential: byUrl },
    );
    expect(outputOf(result).rows).toEqual([{ db: "test" }]);
  });

  it("cancels a statement that runs past timeoutMs (statement_timeout)", async () => {
    const error = await failure(
      runNode(postgresQuery, { query: "select pg_sleep(5)", timeoutMs: 300 }, { credential: db }),
    );
    expect(error.message).toBe("PostgreSQL query cancelled after 300 ms (statement_timeout)");
  });

  it("stops when the node's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("execution cancelled")), 200);
    const started = Date.now();
    const error = await failure(
      runNode(
        postgresQuery,
        { query: "select pg_sleep(3)", timeoutMs: 3500 },
        { credential: db, signal: controller.signal },
      ),
    );
    expect(error.message).toBe("execution cancelled");
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("reports a missing database as a credential problem", async () => {
    const error = await failure(
      runNode(
        postgresQuery,
        { query: "select 1" },
        { credential: fields({ database: "nope_db" }) },
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ details: { field: "credential" } });
    expect(error.message).toContain('database "nope_db" does not exist');
    expect(error.message).not.toContain("unused-with-trust-auth");
  });

  it("is blocked from a private host that is not allowlisted", async () => {
    const error = await failure(
      runNode(postgresQuery, { query: "select 1" }, { credential: fields({ host: "10.9.8.7" }) }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toMatch(
      /^PostgreSQL connection to 10\.9\.8\.7:5432\/test refused: .*blocked/,
    );
  });

  it("declares the SQL literal and requires a credential", () => {
    expect(postgresQuery.literalFields).toEqual(["query"]);
    expect(postgresQuery.credential).toEqual({ types: ["postgres"], required: true });
    expect(postgresQuery.parameters.safeParse({ query: "" }).success).toBe(false);
  });
});
