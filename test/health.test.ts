import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe("health endpoints", () => {
  it("/healthz answers 200 while the process is alive", async () => {
    const res = await t.client().fetch("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200 once migrations are applied", async () => {
    const res = await t.client().fetch("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  it("/readyz answers 503 while a migration is pending", async () => {
    const db = t.deps.database.db;
    const newest = sql`(select max(id) from drizzle.__drizzle_migrations)`;
    const saved = (await db.execute(
      sql`select * from drizzle.__drizzle_migrations where id = ${newest}`,
    )) as unknown as { rows: { id: number; hash: string; created_at: string }[] };
    const row = saved.rows[0];
    if (!row) throw new Error("no applied migration found");
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${row.id}`);
    try {
      const res = await t.client().fetch("/readyz");
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", reason: "migrations pending" });
    } finally {
      await db.execute(
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row.id}, ${row.hash}, ${row.created_at})`,
      );
    }
    expect((await t.client().fetch("/readyz")).status).toBe(200);
  });

  // Last: it closes this file's database.
  it("/readyz answers 503 when the database is gone, /healthz still 200", async () => {
    await t.deps.database.close();
    const res = await t.client().fetch("/readyz");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe("unavailable");
    expect(JSON.stringify(body)).not.toMatch(/select|stack|ECONNREFUSED/i);
    expect((await t.client().fetch("/healthz")).status).toBe(200);
  });
});
