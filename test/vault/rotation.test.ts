import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberContext } from "../../src/access/context.ts";
import { loadMemberContext } from "../../src/auth/context.ts";
import { lockEmbeddedDatabase } from "../../src/db/embedded-lock.ts";
import { parseKeyring } from "../../src/modules/vault/keyring.ts";
import { rotateVault } from "../../src/modules/vault/rotate.ts";
import { updateCredential } from "../../src/modules/vault/service.ts";
import { describeVaultStatus, vaultStatus } from "../../src/modules/vault/status.ts";
import { withCredential } from "../../src/modules/vault/use.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";

const KEY_A = Buffer.alloc(32, 7).toString("base64"); // the test app's key (test/helpers/app.ts)
const KEY_B = Buffer.alloc(32, 8).toString("base64");

let t: TestApp;
const owners: { client: TestClient; ctx: MemberContext; ids: string[] }[] = [];

async function memberContext(client: TestClient): Promise<MemberContext> {
  const me = await client.query<{ userId: string; activeOrganizationId: string }>("me");
  return loadMemberContext({
    db: t.deps.database.db,
    meta: { requestId: "rotation-test", ip: undefined, userAgent: undefined },
    userId: me.userId,
    email: "",
    emailVerified: true,
    sessionId: "",
    activeOrganizationId: me.activeOrganizationId,
  });
}

beforeAll(async () => {
  t = await startTestApp();
  for (const name of ["RotA", "RotB"]) {
    const { client } = await orgOwner(t, name);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const created = await client.mutate<{ id: string }>("credentials.create", {
        name: `${name}-${i}`,
        type: "http_bearer",
        secret: { token: `${name}-token-${i}` },
      });
      ids.push(created.id);
    }
    owners.push({ client, ctx: await memberContext(client), ids });
  }
});
afterAll(() => t.close());

const reveal = (
  keyring: ReturnType<typeof parseKeyring>,
  ctx: MemberContext,
  credentialId: string,
) =>
  withCredential(
    { keyring },
    ctx,
    { credentialId, accepts: ["http_bearer"], purpose: { kind: "test" } },
    async (c) => String(c.secret.token),
  );

describe("vault rotation", () => {
  it("re-encrypts everything under the new key while reads and an edit go on, and is idempotent", async () => {
    const both = parseKeyring({ keys: `b:${KEY_B},${KEY_A}` });
    const [first, second] = owners as [(typeof owners)[number], (typeof owners)[number]];
    let reading = true;
    const reads = (async () => {
      let n = 0;
      while (reading) {
        const i = n++ % first.ids.length;
        expect(await reveal(both, first.ctx, first.ids[i] as string)).toBe(`RotA-token-${i}`);
      }
      return n;
    })();
    const edit = updateCredential({ keyring: both }, second.ctx, {
      credentialId: second.ids[59] as string,
      secret: { token: "edited-during-rotation" },
    });
    const result = await rotateVault(t.deps.database.db, both);
    await edit;
    reading = false;
    expect(await reads).toBeGreaterThan(0);
    expect(result.failed).toEqual([]);
    // the edited row is re-encrypted by the edit itself, before or while rotation meets it
    expect(result.rotated).toBeGreaterThanOrEqual(119);
    expect(result.rotated + result.changedMeanwhile).toBeLessThanOrEqual(120);

    const keyIds = await dbRows<{ key_id: string; n: number }>(
      t,
      sql`select key_id, count(*)::int as n from credential group by key_id`,
    );
    expect(keyIds).toEqual([{ key_id: "b", n: 120 }]);

    const onlyB = parseKeyring({ keys: `b:${KEY_B}` });
    for (const [o, owner] of owners.entries()) {
      for (const [i, id] of owner.ids.entries()) {
        const expected =
          o === 1 && i === 59 ? "edited-during-rotation" : `Rot${o ? "B" : "A"}-token-${i}`;
        expect(await reveal(onlyB, owner.ctx, id)).toBe(expected);
      }
    }

    expect(await rotateVault(t.deps.database.db, both)).toEqual({
      rotated: 0,
      changedMeanwhile: 0,
      failed: [],
    });
    const audit = await auditEvents(first.client);
    expect(audit.find((e) => e.action === "vault.key_rotated")?.metadata).toMatchObject({
      rotated: { "credential.secret_envelope": 60 },
      keyId: "b",
    });
  });

  it("reports credentials whose key is missing from the ring, and leaves them untouched", async () => {
    const stray = parseKeyring({ keys: `c:${Buffer.alloc(32, 3).toString("base64")}` });
    const result = await rotateVault(t.deps.database.db, stray);
    expect(result.rotated).toBe(0);
    expect(result.failed).toHaveLength(120);
    expect(result.failed[0]?.reason).toContain("b");
    const status = await vaultStatus(t.deps.database.db, stray);
    expect(status.missing).toEqual({ b: 120 });
    expect(describeVaultStatus(status)).toContain(
      "key b is used by 120 rows but is not in the keyring: those rows cannot be read until it is added back",
    );
  });
});

describe("fluxo vault rotate", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fluxo-rotate-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const { DATABASE_URL: _db, BASE_URL: _base, ...env } = process.env;
  const fluxo = (...args: string[]) =>
    spawnSync("node_modules/.bin/tsx", ["src/cli/fluxo.ts", ...args], {
      env: {
        ...env,
        NODE_ENV: "development",
        FLUXO_DATA_DIR: dataDir,
        FLUXO_ENCRYPTION_KEYS: `b:${KEY_B},${KEY_A}`,
      },
      encoding: "utf8",
    });

  it("refuses while another process holds the embedded database, and runs when it does not", () => {
    expect(fluxo("migrate").status).toBe(0);
    const release = lockEmbeddedDatabase(dataDir);
    const refused = fluxo("vault", "rotate");
    release();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("in use by another Fluxo process");
    const ran = fluxo("vault", "rotate");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain("vault rotation finished");
  }, 120_000);
});
