import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import {
  type ExecutionView,
  startSink,
  stepOf,
  waitForExecution,
  workflowWith,
} from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let viewerMemberId: string;
let sink: Awaited<ReturnType<typeof startSink>>;

const b64 = (text: string) => Buffer.from(text).toString("base64");

/**
 * A remote service that echoes the credential it was sent: under an innocent key, in base64,
 * URL-encoded, decoded (basic auth), inside a binary body (which the node outputs as base64),
 * and as the reason phrase of an error status.
 */
beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  await startEngineWorkers(t.deps.engine, t.deps.queue);
  owner = (await orgOwner(t, "Masking Org")).client;
  const member = await addMember(t, owner, "PARTICIPANT");
  viewer = member.client;
  viewerMemberId = member.memberId;
  sink = await startSink((req, res) => {
    const sent = String(req.headers.authorization ?? req.headers["x-api-key"] ?? "");
    if (req.url === "/fail") {
      res.writeHead(502, sent.slice(0, 90));
      return res.end();
    }
    if (req.url === "/binary") {
      res.setHeader("content-type", "application/octet-stream");
      return res.end(Buffer.from(`x${sent}`));
    }
    const basic = sent.startsWith("Basic ") ? Buffer.from(sent.slice(6), "base64").toString() : "";
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        echoed: sent,
        encoded: b64(sent),
        urlEncoded: encodeURIComponent(sent),
        decoded: basic,
        [`key ${sent}`]: 1,
      }),
    );
  });
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

/** The secret and the forms of it that reveal it: URL-encoded, base64 at every alignment. */
function revealingForms(secret: string): string[] {
  const aligned = [0, 1, 2].map((k) => b64(`${"\0".repeat(k)}${secret}`).slice(4, -4));
  return [secret, encodeURIComponent(secret), b64(secret).replace(/=+$/, ""), ...aligned];
}

const credentials = () => {
  const hex = randomBytes(10).toString("hex");
  return [
    { type: "http_bearer", settings: {}, secret: { token: `tok${hex}+/=~` } },
    { type: "http_basic", settings: { username: "ada" }, secret: { password: `pw ${hex}+/` } },
    { type: "http_header", settings: { headerName: "X-Api-Key" }, secret: { value: `k ${hex}/+` } },
  ];
};

async function runWith(credentialId: string) {
  const call = (id: string, path: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: "http_request",
    credentialId,
    parameters: { method: "POST", url: `${sink.url}${path}`, ...extra },
  });
  const wf = await workflowWith(owner, {
    nodes: [
      { id: "start", type: "manual_trigger" },
      call("echo", "/echo"),
      { id: "copy", type: "transform", parameters: { fields: { body: "{{ nodes.echo.body }}" } } },
      call("binary", "/binary"),
      call("fail", "/fail", { failOnStatus: true }),
    ],
    edges: [
      { from: "start", to: "echo" },
      { from: "echo", to: "copy" },
      { from: "copy", to: "binary" },
      { from: "binary", to: "fail" },
    ],
  });
  await owner.mutate("sharing.grant", {
    assetType: "workflow",
    assetId: wf.id,
    memberId: viewerMemberId,
    level: "view",
  });
  const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
    workflowId: wf.id,
  });
  return waitForExecution(owner, executionId);
}

it("no secret a step used shows in its stored input, output or error, in any form", async () => {
  const forms: string[] = [];
  const views: ExecutionView[] = [];
  for (const input of credentials()) {
    const { id } = await owner.mutate<{ id: string }>("credentials.create", {
      name: input.type,
      ...input,
    });
    const secret = Object.values(input.secret)[0] ?? "";
    forms.push(...revealingForms(secret));
    if (input.type === "http_basic") {
      forms.push(...revealingForms(`ada:${secret}`), ...revealingForms(b64(`ada:${secret}`)));
    }

    const execution = await runWith(id);
    expect(execution.status).toBe("failed");
    // The values are masked where they were, not dropped: the log stays useful.
    const echo = stepOf(execution, "echo")?.output as { body: { echoed: string } } | undefined;
    expect(echo?.body.echoed).toMatch(/\*\*\*/);
    expect(stepOf(execution, "copy")?.output).toEqual({ body: expect.any(Object) });
    expect(stepOf(execution, "fail")?.error).toMatch(/answered 502 .*\*\*\*/);
    views.push(execution);
    views.push(await viewer.query<ExecutionView>("executions.get", { executionId: execution.id }));
  }
  expect(sink.requests.length).toBe(9); // every credential really was sent and echoed

  const tables = await dbRows<{ name: string }>(
    t,
    sql`select table_schema || '.' || table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const dump: string[] = [];
  for (const { name } of tables) {
    const table = name.split(".")[1] ?? "";
    const rows = await dbRows<{ row: string }>(
      t,
      sql`select t::text as row from public.${sql.identifier(table)} t`,
    );
    dump.push(...rows.map((r) => r.row));
  }
  const places = {
    "executions.get": JSON.stringify(views),
    database: dump.join("\n"),
    log: t.logLines.join("\n"),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const form of forms) expect(text, `${place} shows ${form}`).not.toContain(form);
  }
});
