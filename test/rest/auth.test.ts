import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/modules/api-keys/format.ts";
import { INVALID_KEYS_PER_MINUTE } from "../../src/rest/auth.ts";
import { countingDb } from "../api-keys/harness.ts";
import { createApiKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { type RestError, restCaller } from "./harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Auth Org")).client;
});
afterAll(() => t.close());

const UNAUTHORIZED = {
  error: { code: "UNAUTHORIZED", message: "A valid API key is required" },
};

/** Flips one character in the random part: the checksum no longer matches. */
const corrupt = (key: string) => {
  const i = 10;
  return `${key.slice(0, i)}${key[i] === "a" ? "b" : "a"}${key.slice(i + 1)}`;
};

describe("authentication", () => {
  it("answers 401 with the same body and a Bearer challenge for every kind of bad key", async () => {
    const revoked = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    await owner.mutate("apiKeys.revoke", { keyId: revoked.id });
    const expired = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    await dbRows(
      t,
      sql`update api_key set expires_at = now() - interval '1 second' where id = ${expired.id}`,
    );
    const valid = await createApiKey(t, owner, { scopes: ["reviews:read"] });

    const attempts: Record<string, Record<string, string>> = {
      missing: {},
      "wrong scheme": { authorization: `Basic ${valid.key}` },
      "not a key": { authorization: "Bearer hello" },
      "bad checksum": { authorization: `Bearer ${corrupt(valid.key)}` },
      unknown: { authorization: `Bearer ${generateApiKey()}` },
      revoked: { authorization: `Bearer ${revoked.key}` },
      expired: { authorization: `Bearer ${expired.key}` },
    };
    for (const [kind, headers] of Object.entries(attempts)) {
      const res = await restCaller(t, null).get<RestError>("/reviews", headers);
      expect(res.status, kind).toBe(401);
      expect(res.body, kind).toEqual(UNAUTHORIZED);
      expect(res.headers.get("www-authenticate"), kind).toBe('Bearer realm="fluxo"');
    }
    // the same key, intact, is accepted
    expect((await restCaller(t, valid.key).get("/reviews")).status).toBe(200);
  });

  it("refuses a malformed key without any database query; a well-formed one costs one lookup", async () => {
    const { key } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const database = t.deps.database;
    const real = database.db;
    const counted = countingDb(real);
    database.db = counted.db;
    try {
      const malformed = await restCaller(t, corrupt(key)).get("/reviews");
      expect(malformed.status).toBe(401);
      expect(counted.statements()).toBe(0);
      const unknown = await restCaller(t, generateApiKey()).get("/reviews");
      expect(unknown.status).toBe(401);
      expect(counted.statements()).toBe(1);
    } finally {
      database.db = real;
    }
  });

  it("throttles an address that keeps presenting invalid keys, before any lookup", async () => {
    const { key } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const guesser = t.client();
    for (let i = 0; i < INVALID_KEYS_PER_MINUTE; i++) {
      expect((await restCaller(t, generateApiKey(), guesser).get("/reviews")).status).toBe(401);
    }
    // now even a valid key from that address waits
    const blocked = await restCaller(t, key, guesser).get<RestError>("/reviews");
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // other addresses are not affected
    expect((await restCaller(t, key).get("/reviews")).status).toBe(200);
  });

  it("notes the key's use in memory, written later in one batch", async () => {
    const { id, key } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const caller = restCaller(t, key);
    expect((await caller.get("/reviews")).status).toBe(200);
    await t.deps.apiKeyUsage.flush();
    const [row] = await dbRows<{ last_used_ip: string | null }>(
      t,
      sql`select last_used_ip from api_key where id = ${id}`,
    );
    expect(row?.last_used_ip).toBe(caller.client.ip);
  });

  it("serves the OpenAPI document without a key", async () => {
    const res = await restCaller(t, null).get<{ openapi: string; paths: object }>("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toContain("/reviews/{id}/approve");
  });
});
