/**
 * The Fluxo instance under `bench/api.ts`, in its own process so the load generator does not
 * share its event loop. It serves two ports:
 * - `authenticated`: the real app (`createApp`), REST v1 behind bearer API keys;
 * - `open`: the same REST handlers (`restRouter`) behind a middleware that sets one fixed
 *   KeyContext instead of verifying a key. It exists only in this benchmark process, to show
 *   what authentication costs; the outer middleware copies createApp's (request id, secure
 *   headers, request meta and the request log line) so that the two differ by authentication.
 *
 * Set-up (outside the measured path): the user is inserted directly, the organization and the
 * API keys are created through the services, the reviews through POST /api/v1/reviews.
 *
 * Protocol (IPC): this process sends `{ type: "ready", … }` once; the parent sends
 * `{ type: "counters" }` (answered with `{ type: "counters", … }`) and `{ type: "stop" }`.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono, type MiddlewareHandler } from "hono";
import type { MemberContext, RequestMeta } from "../src/access/context.ts";
import { openDatabase } from "../src/db/client.ts";
import { user } from "../src/db/schema/index.ts";
import { createLogger } from "../src/lib/logger.ts";
import { createApiKey } from "../src/modules/api-keys/service.ts";
import { verifyApiKey } from "../src/modules/api-keys/verify.ts";
import { createOrganization } from "../src/modules/orgs/organizations.ts";
import { findMembership } from "../src/modules/orgs/repo.ts";
import { restRouter } from "../src/rest/app.ts";
import type { RestEnv } from "../src/rest/context.ts";
import { createApp, useRequestContext } from "../src/server/app.ts";
import { bootstrap, shutdown } from "../src/server/bootstrap.ts";
import { benchConfig } from "./config.ts";
import { countStatements, sendToParent } from "./statements.ts";

export interface ReadyMessage {
  type: "ready";
  authenticated: string;
  open: string;
  key: string;
}
export interface CountersMessage {
  type: "counters";
  /** Statements sent to PostgreSQL so far (none counted on PGlite). */
  queries: number;
  /** Rows inserted, updated and deleted so far in Fluxo's tables except api_key. */
  writes: number;
  /** The same in api_key: the batched last-used write, at most once a minute per key. */
  apiKeyWrites: number;
}

// Counts every statement this process sends to PostgreSQL.
const queries = countStatements();

const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 200);

async function listen(fetch: (request: Request, env: unknown) => Response | Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return { server, url: `http://127.0.0.1:${address.port}` };
}

async function main() {
  if (!process.send) throw new Error("run through bench/api.ts");
  const config = benchConfig({
    // One key sends every request: its per-minute budget must not be what is measured.
    apiRatePerMinute: 1_000_000_000,
  });

  // Request logs are produced and serialised as in production, then discarded.
  const devNull = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger(config.logLevel, devNull);
  // PGlite: in memory
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: null });
  const deps = await bootstrap(config, logger, database);
  const db = deps.database.db;

  const userId = randomUUID();
  const email = `bench-${userId}@example.com`;
  await db.insert(user).values({ id: userId, name: "Bench", email, emailVerified: true });
  const meta: RequestMeta = { requestId: "bench-setup", ip: undefined, userAgent: undefined };
  const org = await createOrganization(
    { db, meta, userId, email, emailVerified: true, sessionId: "none" },
    { name: "Bench" },
  );
  const membership = await findMembership(db, org.id, userId);
  if (!membership) throw new Error("no membership");
  const owner: MemberContext = {
    db,
    meta,
    orgId: org.id,
    userId,
    memberId: membership.id,
    role: membership.role,
    actor: { kind: "user", userId, memberId: membership.id },
  };
  const { key } = await createApiKey(owner, { name: "bench", scopes: ["reviews:read"] });
  const authenticated = await listen(createApp(deps).fetch);
  const open = await listen(openApp(deps, await fixedContext(db, key)).fetch);

  // The reviews are requested through the API itself, with a second key that may write.
  const writer = await createApiKey(owner, { name: "bench setup", scopes: ["reviews:write"] });
  for (let i = 0; i < REVIEWS; i++) {
    const res = await fetch(`${authenticated.url}/api/v1/reviews`, {
      method: "POST",
      headers: { authorization: `Bearer ${writer.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        title: `Refund #${i}`,
        body: "Customer asked for a refund",
        payload: { order: i, amount: (i * 37) % 500 },
        any_reviewer: true,
        expires_in_seconds: 7 * 24 * 3600,
      }),
    });
    if (res.status !== 201)
      throw new Error(`POST /api/v1/reviews: ${res.status} ${await res.text()}`);
  }

  process.on("message", async (message: { type: string }) => {
    if (message.type === "counters") await sendToParent(await counters(db));
    if (message.type !== "stop") return;
    for (const { server } of [authenticated, open]) {
      server.close();
      if ("closeAllConnections" in server) server.closeAllConnections();
    }
    await shutdown(deps);
    process.exit(0);
  });
  await sendToParent({ type: "ready", authenticated: authenticated.url, open: open.url, key });
}

/** The key's context, verified once at start-up; each request gets its own meta. */
async function fixedContext(db: Parameters<typeof verifyApiKey>[0], key: string) {
  const ctx = await verifyApiKey(db, key, { requestId: "", ip: undefined, userAgent: undefined });
  if (!ctx) throw new Error("the bench key does not verify");
  const middleware: MiddlewareHandler<RestEnv> = async (c, next) => {
    c.set("keyContext", { ...ctx, meta: c.get("meta") });
    await next();
  };
  return middleware;
}

/** createApp's outer middleware, then REST v1 at /api/v1 behind the fixed context. */
function openApp(deps: Awaited<ReturnType<typeof bootstrap>>, authenticate: MiddlewareHandler) {
  const app = new Hono<RestEnv>();
  useRequestContext(app, deps);
  app.route("/api/v1", restRouter(deps, authenticate));
  return app;
}

async function counters(db: Parameters<typeof verifyApiKey>[0]): Promise<CountersMessage> {
  const sent = queries();
  // Statistics of other connections reach this view within seconds (the caller waits).
  const result = (await db.execute(sql`
    select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname <> 'api_key'), 0)::float8 as app,
           coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'api_key'), 0)::float8 as api_key
    from pg_stat_user_tables where schemaname = 'public'`)) as unknown as {
    rows: { app: number; api_key: number }[];
  };
  const row = result.rows[0];
  return {
    type: "counters",
    queries: sent,
    writes: Number(row?.app ?? 0),
    apiKeyWrites: Number(row?.api_key ?? 0),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
