import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, type ListedKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows, sha256Hex } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Keys Org"));
});
afterAll(() => t.close());

/** Every text-like value in every public table, as one string per row, for leak scans. */
async function everyStoredText(): Promise<string> {
  const columns = await dbRows<{ table_name: string; column_name: string }>(
    t,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public'
          and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
  );
  expect(columns.some((c) => c.table_name === "api_key" && c.column_name === "key_hash")).toBe(
    true,
  );
  const values: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await dbRows<{ v: string | null }>(
      t,
      sql`select ${sql.identifier(column_name)}::text as v from ${sql.identifier(table_name)}`,
    );
    for (const row of rows) if (row.v) values.push(row.v);
  }
  return values.join("\n");
}

describe("creating keys", () => {
  it("stores only the key's SHA-256, anywhere in the database and the log", async () => {
    const created = await owner.mutate<ListedKey & { key: string }>("apiKeys.create", {
      name: "Storage check",
      scopes: ["reviews:read", "webhooks:write"],
    });
    const rolled = await owner.mutate<ListedKey & { key: string }>("apiKeys.roll", {
      keyId: created.id,
      oldKeyExpiresInSeconds: 60,
    });
    const stored = await everyStoredText();
    for (const key of [created.key, rolled.key]) {
      expect(stored).toContain(sha256Hex(key));
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(12)); // not even the secret part on its own
      expect(t.logLines.join("")).not.toContain(key);
    }
    const [row] = await dbRows<{ key_hash: string; prefix: string }>(
      t,
      sql`select key_hash, prefix from api_key where id = ${created.id}`,
    );
    expect(row).toEqual({ key_hash: sha256Hex(created.key), prefix: created.key.slice(0, 12) });
  });

  it("shows the key once: no other answer carries the key or its hash", async () => {
    const created = await owner.mutate<ListedKey & { key: string }>("apiKeys.create", {
      name: "Shown once",
      scopes: ["reviews:approve"],
      expiresInSeconds: 3600,
    });
    expect(created).toMatchObject({
      name: "Shown once",
      scopes: ["reviews:approve"],
      status: "active",
      prefix: created.key.slice(0, 12),
      revokedAt: null,
      rolledFromId: null,
    });
    expect(created.createdBy).toMatch(/^\S+ <\S+@example\.com>$/);
    expect(new Date(created.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 3500_000);

    const secrets = [created.key, sha256Hex(created.key)];
    const rolled = await owner.mutate<ListedKey & { key: string }>("apiKeys.roll", {
      keyId: created.id,
      oldKeyExpiresInSeconds: 0,
    });
    secrets.push(sha256Hex(rolled.key));
    const answers = [
      await owner.list("apiKeys.list"),
      rolled,
      await owner.mutate("apiKeys.revoke", { keyId: created.id }),
      await auditEvents(owner),
    ];
    for (const answer of answers) {
      const text = JSON.stringify(answer);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/hash/i);
    }
    expect(JSON.stringify(answers[0])).not.toContain(rolled.key);
  });

  it("refuses unknown scopes, naming the field and the value", async () => {
    const error = await owner.trpcError("mutate", "apiKeys.create", {
      name: "Bad scope",
      scopes: ["reviews:read", "admin:everything"],
    });
    expect(error.status).toBe(400);
    expect(error.error.message).toContain("scopes");
    expect(error.error.message).toContain("admin:everything");
    expect(error.error.data.details?.field).toBe("scopes.1");

    for (const input of [
      { name: "No scopes", scopes: [] },
      { name: "", scopes: ["reviews:read"] },
      { name: "x".repeat(101), scopes: ["reviews:read"] },
      { name: "Too short", scopes: ["reviews:read"], expiresInSeconds: 59 },
      { name: "Too long", scopes: ["reviews:read"], expiresInSeconds: 3 * 366 * 24 * 3600 },
      { name: "In the past", scopes: ["reviews:read"], expiresAt: "2020-01-01T00:00:00Z" },
    ]) {
      const refused = await owner.trpcError("mutate", "apiKeys.create", input);
      expect(refused.status, JSON.stringify(input)).toBe(400);
    }
  });

  it("records created, rolled and revoked audit events by the user, without the key", async () => {
    const created = await createApiKey(t, owner, { name: "Audited", scopes: ["reviews:read"] });
    const rolled = await owner.mutate<{ id: string; key: string }>("apiKeys.roll", {
      keyId: created.id,
      oldKeyExpiresInSeconds: 600,
    });
    await owner.mutate("apiKeys.revoke", { keyId: rolled.id });
    const events = await auditEvents(owner);
    const me = await owner.query<{ userId: string }>("me");
    const of = (action: string, id: string) =>
      events.find((e) => e.action === action && e.targetId === id);

    const createdEvent = of("apiKey.created", created.id);
    expect(createdEvent).toMatchObject({
      actorKind: "user",
      actorId: me.userId,
      targetType: "apiKey",
      metadata: {
        name: "Audited",
        prefix: created.key.slice(0, 12),
        scopes: ["reviews:read"],
        expiresAt: null,
      },
    });
    expect(of("apiKey.rolled", rolled.id)).toMatchObject({
      actorKind: "user",
      actorId: me.userId,
      metadata: { oldKeyId: created.id, newKeyId: rolled.id },
    });
    expect(of("apiKey.revoked", rolled.id)).toMatchObject({ actorKind: "user" });
    const text = JSON.stringify(events);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(rolled.key);
  });
});

describe("who may manage keys", () => {
  it("OWNER and ADMIN may; PARTICIPANT and REVIEWER get 403 on every procedure", async () => {
    const { id } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    for (const role of ["PARTICIPANT", "REVIEWER"]) {
      const { client } = await addMember(t, owner, role);
      const calls: [kind: "query" | "mutate", path: string, input?: unknown][] = [
        ["mutate", "apiKeys.create", { name: "Nope", scopes: ["reviews:read"] }],
        ["query", "apiKeys.list"],
        ["mutate", "apiKeys.revoke", { keyId: id }],
        ["mutate", "apiKeys.roll", { keyId: id, oldKeyExpiresInSeconds: 0 }],
      ];
      for (const [kind, path, input] of calls) {
        const error = await client.trpcError(kind, path, input);
        expect(error.status, `${role} ${path}`).toBe(403);
      }
    }
    const listed = await owner.list<ListedKey>("apiKeys.list");
    expect(listed.find((k) => k.id === id)?.status).toBe("active");
    expect(listed.some((k) => k.name === "Nope")).toBe(false);

    const admin = (await addMember(t, owner, "ADMIN")).client;
    const made = await createApiKey(t, admin, { name: "By admin", scopes: ["webhooks:read"] });
    expect((await admin.list<ListedKey>("apiKeys.list")).some((k) => k.id === made.id)).toBe(true);
    const rolled = await admin.mutate<ListedKey>("apiKeys.roll", {
      keyId: made.id,
      oldKeyExpiresInSeconds: 0,
    });
    expect(rolled.rolledFromId).toBe(made.id);
    expect((await admin.mutate<ListedKey>("apiKeys.revoke", { keyId: rolled.id })).status).toBe(
      "revoked",
    );
  });

  it("another organization's key is not found, and not listed", async () => {
    const other = await orgOwner(t, "Other Org");
    const theirs = await createApiKey(t, other.client, { scopes: ["reviews:read"] });
    for (const [path, input] of [
      ["apiKeys.revoke", { keyId: theirs.id }],
      ["apiKeys.roll", { keyId: theirs.id, oldKeyExpiresInSeconds: 0 }],
      ["apiKeys.revoke", { keyId: "no-such-key" }],
    ] as const) {
      const error = await owner.trpcError("mutate", path, input);
      expect(error.status, path).toBe(404);
    }
    expect((await owner.list<ListedKey>("apiKeys.list")).some((k) => k.id === theirs.id)).toBe(
      false,
    );
    const [row] = await dbRows<{ revoked_at: Date | null; organization_id: string }>(
      t,
      sql`select revoked_at, organization_id from api_key where id = ${theirs.id}`,
    );
    expect(row?.revoked_at).toBeNull();
    expect(row?.organization_id).not.toBe(orgId);
  });
});
