import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyApiKey } from "../../src/modules/api-keys/verify.ts";
import { createApiKey, type ListedKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { META, seconds } from "./harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Roll Org")).client;
});
afterAll(() => t.close());

type Issued = ListedKey & { key: string };
const roll = (keyId: string, oldKeyExpiresInSeconds: number) =>
  owner.mutate<Issued>("apiKeys.roll", { keyId, oldKeyExpiresInSeconds });
const works = async (key: string, now?: Date) =>
  (await verifyApiKey(t.deps.database.db, key, META, now)) !== undefined;

describe("rolling a key", () => {
  it("issues a replacement with the same name and scopes; both work until the overlap ends", async () => {
    const old = await createApiKey(t, owner, {
      name: "Deploy bot",
      scopes: ["reviews:write", "webhooks:read"],
    });
    const next = await roll(old.id, 3600);
    expect(next.key).not.toBe(old.key);
    expect(next).toMatchObject({
      name: "Deploy bot",
      scopes: ["reviews:write", "webhooks:read"],
      rolledFromId: old.id,
      expiresAt: null,
      status: "active",
    });

    expect(await works(old.key)).toBe(true);
    expect(await works(next.key)).toBe(true);
    expect(await works(old.key, seconds(3590))).toBe(true);
    expect(await works(old.key, seconds(3610))).toBe(false);
    expect(await works(next.key, seconds(3610))).toBe(true);

    const listed = await owner.list<ListedKey>("apiKeys.list");
    const oldListed = listed.find((k) => k.id === old.id);
    expect(new Date(oldListed?.expiresAt as string).getTime()).toBeLessThanOrEqual(
      Date.now() + 3600_000,
    );
    expect(listed.find((k) => k.id === next.id)?.rolledFromId).toBe(old.id);
  });

  it("with a 0 s overlap stops the old key at once", async () => {
    const old = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const next = await roll(old.id, 0);
    expect(await works(old.key)).toBe(false);
    expect(await works(next.key)).toBe(true);
    const listed = await owner.list<ListedKey>("apiKeys.list");
    expect(listed.find((k) => k.id === old.id)?.status).toBe("expired");
  });

  it("keeps the old key's own expiry for both keys, and never extends the old one", async () => {
    const old = await createApiKey(t, owner, { scopes: ["reviews:read"], expiresInSeconds: 600 });
    const [before] = await dbRows<{ expires_at: Date }>(
      t,
      sql`select expires_at from api_key where id = ${old.id}`,
    );
    const next = await roll(old.id, 7 * 24 * 3600);
    const expiry = new Date(before?.expires_at as Date).getTime();
    expect(new Date(next.expiresAt as string).getTime()).toBe(expiry);
    const [after] = await dbRows<{ expires_at: Date }>(
      t,
      sql`select expires_at from api_key where id = ${old.id}`,
    );
    expect(new Date(after?.expires_at as Date).getTime()).toBe(expiry);
    expect(await works(old.key, seconds(610))).toBe(false);
    expect(await works(next.key, seconds(610))).toBe(false);
  });

  it("refuses an overlap over 7 days or below 0, and revoked or expired keys", async () => {
    const key = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    for (const overlap of [7 * 24 * 3600 + 1, -1, 1.5]) {
      const error = await owner.trpcError("mutate", "apiKeys.roll", {
        keyId: key.id,
        oldKeyExpiresInSeconds: overlap,
      });
      expect(error.status).toBe(400);
      expect(error.error.data.details?.field).toBe("oldKeyExpiresInSeconds");
    }
    expect(await works(key.key)).toBe(true);

    await owner.mutate("apiKeys.revoke", { keyId: key.id });
    expect(
      (
        await owner.trpcError("mutate", "apiKeys.roll", {
          keyId: key.id,
          oldKeyExpiresInSeconds: 0,
        })
      ).status,
    ).toBe(409);

    const expired = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    await dbRows(
      t,
      sql`update api_key set expires_at = now() - interval '1 second' where id = ${expired.id}`,
    );
    expect(
      (
        await owner.trpcError("mutate", "apiKeys.roll", {
          keyId: expired.id,
          oldKeyExpiresInSeconds: 0,
        })
      ).status,
    ).toBe(409);

    const rolledAway = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    await roll(rolledAway.id, 0);
    expect(
      (
        await owner.trpcError("mutate", "apiKeys.roll", {
          keyId: rolledAway.id,
          oldKeyExpiresInSeconds: 0,
        })
      ).status,
    ).toBe(409);
    const replacements = await dbRows(
      t,
      sql`select id from api_key where rolled_from_id in (${key.id}, ${expired.id})`,
    );
    expect(replacements).toHaveLength(0);
  });
});
