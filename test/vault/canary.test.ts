import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
});
afterAll(() => t.close());

const canary = () => `canary${randomBytes(12).toString("hex")}`;

it("no secret value is found in any table, any response or the log after using every procedure", async () => {
  const canaries: string[] = [];
  const c = () => {
    const value = canary();
    canaries.push(value);
    return value;
  };
  const responses: unknown[] = [];
  const { client: owner } = await orgOwner(t, "Canary Org");
  const participant = await addMember(t, owner, "PARTICIPANT");
  const call = async (kind: "query" | "mutate", path: string, input?: unknown) => {
    const result = await (kind === "query" ? owner.query(path, input) : owner.mutate(path, input));
    responses.push(result);
    return result as { id: string };
  };

  const inputs = [
    { type: "http_bearer", settings: {}, secret: { token: c() } },
    { type: "http_basic", settings: { username: "u" }, secret: { password: c() } },
    { type: "http_header", settings: { headerName: "X-Api-Key" }, secret: { value: c() } },
    {
      type: "smtp",
      settings: { host: "127.0.0.1", port: 2525, secure: false, user: "u", from: "a@example.com" },
      secret: { password: c() },
    },
    {
      type: "slack_webhook",
      settings: {},
      secret: { url: `https://hooks.slack.com/services/T000/B000/${c()}` },
    },
    {
      type: "postgres",
      settings: { mode: "url" },
      secret: { connectionUrl: `postgres://postgres:${c()}@127.0.0.1:5432/test` },
    },
  ];
  const ids: string[] = [];
  for (const [i, input] of inputs.entries()) {
    ids.push((await call("mutate", "credentials.create", { name: `cred-${i}`, ...input })).id);
  }
  await call("query", "credentials.list");
  for (const id of ids) await call("query", "credentials.get", { credentialId: id });
  await call("mutate", "credentials.update", {
    credentialId: ids[0],
    name: "renamed",
    secret: { token: c() },
  });
  await call("mutate", "credentials.update", { credentialId: ids[1], settings: { username: "v" } });
  await call("mutate", "credentials.testConnection", { credentialId: ids[3] }); // refused: nothing listens
  await call("mutate", "credentials.testConnection", { credentialId: ids[5] }); // wrong password, trust auth: ok
  await call("mutate", "sharing.grant", {
    assetType: "credential",
    assetId: ids[2],
    memberId: participant.memberId,
    level: "use",
  });
  await call("query", "sharing.get", { assetType: "credential", assetId: ids[2] });
  responses.push(await participant.client.list("credentials.list"));
  await call("mutate", "credentials.delete", { credentialId: ids[4] });
  await call("query", "audit.list");

  const tables = await dbRows<{ name: string }>(
    t,
    sql`select table_schema || '.' || table_name as name from information_schema.tables
        where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'`,
  );
  expect(tables.length).toBeGreaterThan(10);
  const dump: string[] = [];
  for (const { name } of tables) {
    const [schema = "", table = ""] = name.split(".");
    const rows = await dbRows<{ row: string }>(
      t,
      sql`select t::text as row from ${sql.identifier(schema)}.${sql.identifier(table)} t`,
    );
    dump.push(...rows.map((r) => r.row));
  }
  const everything = [dump.join("\n"), JSON.stringify(responses), t.logLines.join("\n")].join("\n");
  expect(dump.join("\n")).toContain("v1."); // the envelopes are there, encrypted
  for (const value of canaries) expect(everything).not.toContain(value);
});
