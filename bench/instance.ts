/**
 * One Fluxo instance under benchmark, run as a child process of `bench/executions.ts`: the
 * real app (Hono on @hono/node-server) with the engine's in-process workers, exactly as
 * `npm start` wires them. It lives in its own process so the load generator and the sink do
 * not steal its event loop — a single instance serving clients on other machines.
 *
 * Set-up shortcuts (outside the measured path): the user is inserted directly (sign-up would
 * need e-mail verification), then the organization, workflow and definition are created
 * through the services. The measured path is the real one: webhook POST → execution →
 * steps → HTTP request to the sink.
 *
 * Protocol (IPC): the parent sends `{ type: "watch", id }` for each execution it waits for and
 * `{ type: "stop" }` at the end; this process sends `{ type: "ready", … }` once, then
 * `{ type: "done", executions }` batches: watched executions that reached a final status, read
 * by ONE primary-key query every few ms, whose cost does not grow with the stored history.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import type { MemberContext } from "../src/access/context.ts";
import { openDatabase } from "../src/db/client.ts";
import { user } from "../src/db/schema/index.ts";
import { createLogger } from "../src/lib/logger.ts";
import { createOrganization } from "../src/modules/orgs/organizations.ts";
import { findMembership } from "../src/modules/orgs/repo.ts";
import { saveDefinition } from "../src/modules/workflows/definitions.ts";
import { startEngineWorkers } from "../src/modules/workflows/engine/worker.ts";
import { createWorkflow } from "../src/modules/workflows/service.ts";
import { parseAllowlist } from "../src/net/allowlist.ts";
import { createApp } from "../src/server/app.ts";
import { bootstrap, shutdown } from "../src/server/bootstrap.ts";
import { benchConfig } from "./config.ts";
import { countStatements, sendToParent } from "./statements.ts";

export interface ReadyMessage {
  type: "ready";
  url: string;
  orgId: string;
  workflowId: string;
  version: number;
  secret: string;
}
export interface DoneMessage {
  type: "done";
  /** id, final status, and when it finished (epoch ms, the database's clock = this machine's). */
  executions: { id: string; status: string; finishedAt: number }[];
  /** Statements sent to PostgreSQL so far, by the app and pg-boss (none counted on PGlite). */
  queries: number;
}

// Counts every statement this process sends to PostgreSQL (the bulk poll's are subtracted).
const queries = countStatements();

const POLL_MS = 10;

async function main() {
  const sinkUrl = process.env.BENCH_SINK_URL;
  if (!sinkUrl || !process.send) throw new Error("run through bench/executions.ts");
  const config = benchConfig({
    // FLUXO_OUTBOUND_ALLOW=127.0.0.1:* — the explicit exception that lets the node reach the sink.
    outboundAllow: parseAllowlist("127.0.0.1:*"),
    inProcessWorker: true,
  });

  // Request logs are produced and serialised as in production, then discarded.
  const devNull = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger(config.logLevel, devNull);
  // PGlite: in memory
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: null });
  const deps = await bootstrap(config, logger, database);

  const userId = randomUUID();
  const email = `bench-${userId}@example.com`;
  await deps.database.db
    .insert(user)
    .values({ id: userId, name: "Bench", email, emailVerified: true });
  const meta = { requestId: "bench-setup", ip: undefined, userAgent: undefined };
  const org = await createOrganization(
    { db: deps.database.db, meta, userId, email, emailVerified: true, sessionId: "none" },
    { name: "Bench" },
  );
  const membership = await findMembership(deps.database.db, org.id, userId);
  if (!membership) throw new Error("no membership");
  const ctx: MemberContext = {
    db: deps.database.db,
    meta,
    orgId: org.id,
    userId,
    memberId: membership.id,
    role: membership.role,
    actor: { kind: "user", userId, memberId: membership.id },
  };
  const workflow = await createWorkflow(ctx, { name: "webhook → transform → HTTP" });
  if (!workflow) throw new Error("workflow not created");
  const saved = await saveDefinition(deps.engine, ctx, {
    workflowId: workflow.id,
    definition: {
      nodes: [
        { id: "hook", type: "webhook_trigger" },
        {
          id: "shape",
          type: "transform",
          parameters: {
            fields: {
              orderId: "{{ trigger.body.orderId }}",
              total: "{{ trigger.body.amount * 2 }}",
              customer: "{{ trigger.body.customer }}",
            },
          },
        },
        {
          id: "post",
          type: "http_request",
          parameters: { method: "POST", url: `${sinkUrl}/orders`, body: "{{ nodes.shape }}" },
        },
      ],
      edges: [
        { from: "hook", to: "shape" },
        { from: "shape", to: "post" },
      ],
    },
  });
  if (!saved.webhookSecret) throw new Error("no webhook secret");

  await startEngineWorkers(deps.engine, deps.queue);
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");

  // Completion poll: one query for the watched executions that reached a final status.
  const watched = new Set<string>();
  let polling = true;
  let pollQueries = 0;
  const poll = async () => {
    while (polling) {
      if (watched.size > 0) {
        if (config.databaseUrl) pollQueries++;
        const ids = [...watched];
        const result = (await deps.database.db.execute(sql`
          select id, status, (extract(epoch from finished_at) * 1000)::float8 as t
          from execution
          where id in ${ids} and status in ('succeeded', 'failed', 'cancelled')`)) as unknown as {
          rows: { id: string; status: string; t: number }[];
        };
        for (const row of result.rows) watched.delete(row.id);
        if (result.rows.length > 0) {
          await sendToParent({
            type: "done",
            executions: result.rows.map((r) => ({
              id: r.id,
              status: r.status,
              finishedAt: Number(r.t),
            })),
            queries: queries() - pollQueries,
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const polled = poll();

  process.on("message", async (message: { type: string; id?: string }) => {
    if (message.type === "watch" && message.id) return void watched.add(message.id);
    if (message.type !== "stop") return;
    polling = false;
    await polled;
    if (process.env.BENCH_TOP_STATEMENTS) printTopStatements(queries.byText());
    server.close();
    if ("closeAllConnections" in server) server.closeAllConnections();
    await shutdown(deps);
    process.exit(0);
  });
  await sendToParent({
    type: "ready",
    url: `http://127.0.0.1:${address.port}`,
    orgId: org.id,
    workflowId: workflow.id,
    version: saved.version,
    secret: saved.webhookSecret,
  });
}

/** BENCH_TOP_STATEMENTS=1: the statements sent most often over the instance's life, on stderr. */
function printTopStatements(byText: Map<string, number>) {
  const top = [...byText].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [text, count] of top) console.error(`${String(count).padStart(8)}  ${text}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
