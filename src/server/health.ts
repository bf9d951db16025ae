import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { migrationsApplied } from "../db/migrate.ts";
import type { AppDeps } from "./deps.ts";

export function healthRoutes(deps: AppDeps) {
  return new Hono()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      try {
        await deps.database.db.execute(sql`select 1`);
        if (!(await migrationsApplied(deps.database.db))) {
          return c.json({ status: "unavailable", reason: "migrations pending" }, 503);
        }
        return c.json({ status: "ready" });
      } catch {
        return c.json({ status: "unavailable", reason: "database unreachable" }, 503);
      }
    });
}
