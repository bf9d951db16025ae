import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/modules/api-keys/format.ts";
import { verifyApiKey } from "../../src/modules/api-keys/verify.ts";
import { createApiKey, type ListedKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { countingDb, META, seconds } from "./harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Verify Org"));
});
afterAll(() => t.close());

const verify = (key: string, now?: Date) => verifyApiKey(t.deps.database.db, key, META, now);

describe("verifyApiKey", () => {
  it("answers malformed and bad-checksum keys without a query, well-formed ones with one", async () => {
    const { key } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const counted = countingDb(t.deps.database.db);
    const last = key.at(-1) === "A" ? "B" : "A";
    const i = [...key].findIndex((c, n) => n >= 4 && c !== key[n + 1]);
    const rejected = [
      "",
      "flx_",
      "not a key",
      key.slice(0, -1),
      `${key.slice(0, -1)}${last}`, // checksum no longer matches
      `${key.slice(0, i)}${key[i + 1]}${key[i]}${key.slice(i + 2)}`, // typo: swapped neighbours
      `sk_${key.slice(4)}`,
    ];
    for (const presented of rejected) {
      expect(await verifyApiKey(counted.db, presented, META)).toBeUndefined();
    }
    expect(counted.statements()).toBe(0);

    // the counter does see the lookup a well-formed key needs (known or not)
    expect(await verifyApiKey(counted.db, generateApiKey(), META)).toBeUndefined();
    expect(counted.statements()).toBe(1);
    expect((await verifyApiKey(counted.db, key, META))?.orgId).toBe(orgId);
    expect(counted.statements()).toBe(2);
  });

  it("gives the key's own organization, scopes and a label with its prefix", async () => {
    const created = await createApiKey(t, owner, {
      name: "CI deploy",
      scopes: ["reviews:write", "webhooks:read"],
    });
    const ctx = await verify(created.key);
    expect(ctx?.orgId).toBe(orgId);
    expect(ctx?.meta).toBe(META);
    expect(ctx?.actor).toEqual({
      kind: "apiKey",
      keyId: created.id,
      label: `CI deploy (${created.key.slice(0, 12)})`,
      scopes: ["reviews:write", "webhooks:read"],
    });
  });

  it("stops a revoked key on the next call; revoking again is harmless", async () => {
    const { id, key } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    expect(await verify(key)).toBeDefined();
    const revoked = await owner.mutate<ListedKey>("apiKeys.revoke", { keyId: id });
    expect(revoked.status).toBe("revoked");
    expect(await verify(key)).toBeUndefined();
    const again = await owner.mutate<ListedKey>("apiKeys.revoke", { keyId: id });
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect(await dbRows(t, sql`select id from api_key where id = ${id}`)).toHaveLength(1);
  });

  it("stops an expired key and keeps its row", async () => {
    const { id, key } = await createApiKey(t, owner, {
      scopes: ["reviews:read"],
      expiresInSeconds: 60,
    });
    expect(await verify(key)).toBeDefined();
    expect(await verify(key, seconds(61))).toBeUndefined();

    await dbRows(
      t,
      sql`update api_key set expires_at = now() - interval '1 second' where id = ${id}`,
    );
    expect(await verify(key)).toBeUndefined();
    const listed = await owner.list<ListedKey>("apiKeys.list");
    expect(listed.find((k) => k.id === id)?.status).toBe("expired");
  });
});
