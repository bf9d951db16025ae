import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultKeyringInstance } from "../../src/db/schema/index.ts";
import { parseKeyring } from "../../src/modules/vault/keyring.ts";
import { announceKeyring, liveInstancesWithoutKey } from "../../src/modules/vault/presence.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { dbRows } from "../helpers/orgs.ts";

const KEY_A = Buffer.alloc(32, 7).toString("base64"); // the test app's key
const KEY_B = Buffer.alloc(32, 8).toString("base64");

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("keyring presence", () => {
  it("records each process's key ids, never key material, and forgets a stopped process", async () => {
    const db = t.deps.database.db;
    const own = t.deps.keyringPresence.instanceId;
    const [row] = await dbRows<{ row: string }>(
      t,
      sql`select t::text as row from vault_keyring_instance t where instance_id = ${own}`,
    );
    expect(row?.row).toContain(t.deps.keyring.activeKeyId);
    expect(row?.row).not.toContain(KEY_A);

    expect(await liveInstancesWithoutKey(db, t.deps.keyring.activeKeyId)).toEqual([]);
    expect((await liveInstancesWithoutKey(db, "b")).map((i) => i.instanceId)).toEqual([own]);
    expect(await liveInstancesWithoutKey(db, "b", own)).toEqual([]);

    const other = await announceKeyring(db, parseKeyring({ keys: `b:${KEY_B}` }), t.deps.logger);
    expect((await liveInstancesWithoutKey(db, "b")).map((i) => i.instanceId)).toEqual([own]);
    expect((await liveInstancesWithoutKey(db, t.deps.keyring.activeKeyId)).length).toBe(1);
    await other.stop();
    expect(await liveInstancesWithoutKey(db, t.deps.keyring.activeKeyId)).toEqual([]);
  });

  it("does not count a process that has not been seen for more than 5 minutes", async () => {
    const db = t.deps.database.db;
    await db.insert(vaultKeyringInstance).values({
      instanceId: "gone",
      host: "old-host",
      pid: 1,
      activeKeyId: "a",
      keyIds: ["a"],
      seenAt: new Date(Date.now() - 6 * 60_000),
    });
    const own = t.deps.keyringPresence.instanceId;
    expect(await liveInstancesWithoutKey(db, "b", own)).toEqual([]);
  });
});
