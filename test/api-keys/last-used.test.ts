import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLastUsedRecorder,
  LAST_USED_WRITE_INTERVAL_MS,
} from "../../src/modules/api-keys/last-used.ts";
import { createApiKey, type ListedKey } from "../helpers/api-keys.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { countingDb } from "./harness.ts";

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  owner = (await orgOwner(t, "Usage Org")).client;
});
afterAll(() => t.close());

/** A recorder on a counting db with a clock the test moves; its timer never fires in a test. */
function recorder() {
  const counted = countingDb(t.deps.database.db);
  let clock = Date.parse("2030-01-01T00:00:00Z");
  const usage = createLastUsedRecorder(counted.db, {
    flushIntervalMs: 3_600_000,
    now: () => clock,
  });
  return {
    usage,
    statements: counted.statements,
    advance: (ms: number) => {
      clock += ms;
    },
    at: () => new Date(clock).toISOString(),
  };
}

async function lastUse(id: string) {
  const [row] = await dbRows<{ last_used_at: Date | null; last_used_ip: string | null }>(
    t,
    sql`select last_used_at, last_used_ip from api_key where id = ${id}`,
  );
  return {
    at: row?.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    ip: row?.last_used_ip,
  };
}

describe("last-used recorder", () => {
  it("writes nothing on note, and all keys in one statement on flush", async () => {
    const a = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const b = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const r = recorder();
    for (let i = 0; i < 50; i++) {
      r.usage.note(a.id, `192.0.2.${i}`);
      r.usage.note(b.id, undefined);
    }
    expect(r.statements()).toBe(0);
    expect(await lastUse(a.id)).toEqual({ at: null, ip: null });

    await r.usage.flush();
    expect(r.statements()).toBe(1);
    expect(await lastUse(a.id)).toEqual({ at: r.at(), ip: "192.0.2.49" });
    expect(await lastUse(b.id)).toEqual({ at: r.at(), ip: null });
    await r.usage.flush(); // nothing pending: no statement
    expect(r.statements()).toBe(1);
    await r.usage.stop();
  });

  it("writes a key at most once a minute, and the latest use once the minute is over", async () => {
    const { id } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const r = recorder();
    r.usage.note(id, "198.51.100.1");
    await r.usage.flush();
    const first = r.at();
    expect(r.statements()).toBe(1);

    r.advance(LAST_USED_WRITE_INTERVAL_MS / 2);
    r.usage.note(id, "198.51.100.2");
    await r.usage.flush();
    expect(r.statements()).toBe(1);
    expect(await lastUse(id)).toEqual({ at: first, ip: "198.51.100.1" });

    r.advance(LAST_USED_WRITE_INTERVAL_MS / 2);
    await r.usage.flush();
    expect(r.statements()).toBe(2);
    expect((await lastUse(id)).ip).toBe("198.51.100.2");
    await r.usage.stop();
  });

  it("writes what is pending on stop, and never moves a last use backwards", async () => {
    const { id } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    const r = recorder();
    r.usage.note(id, "198.51.100.3");
    await r.usage.flush();
    r.advance(1000);
    r.usage.note(id, "198.51.100.4");
    await r.usage.stop();
    expect(await lastUse(id)).toEqual({ at: r.at(), ip: "198.51.100.4" });

    await dbRows(t, sql`update api_key set last_used_at = '2031-01-01T00:00:00Z' where id = ${id}`);
    const late = recorder();
    late.usage.note(id, "198.51.100.5");
    await late.usage.stop();
    expect(await lastUse(id)).toEqual({ at: "2031-01-01T00:00:00.000Z", ip: "198.51.100.4" });
  });

  it("logs a failed write instead of throwing, and the app's recorder shows up in the list", async () => {
    const broken = createLastUsedRecorder(
      new Proxy(t.deps.database.db, {
        get: (target, p, receiver) =>
          p === "execute"
            ? () => Promise.reject(new Error("db down"))
            : Reflect.get(target, p, receiver),
      }),
      { logger: t.deps.logger },
    );
    broken.note("some-key", undefined);
    await expect(broken.stop()).resolves.toBeUndefined();
    expect(t.logLines.join("")).toContain("recording API key use failed");

    const { id } = await createApiKey(t, owner, { scopes: ["reviews:read"] });
    t.deps.apiKeyUsage.note(id, "203.0.113.9");
    await t.deps.apiKeyUsage.flush();
    const listed = (await owner.list<ListedKey>("apiKeys.list")).find((k) => k.id === id);
    expect(listed?.lastUsedIp).toBe("203.0.113.9");
    expect(listed?.lastUsedAt).not.toBeNull();
  });
});
