import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { vaultKeyringInstance } from "../../src/db/schema/index.ts";
import { deriveKeyId, parseKeyring } from "../../src/modules/vault/keyring.ts";
import { deliverJobs } from "../../src/modules/webhooks/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp } from "../helpers/app.ts";
import { createServerDatabase } from "../helpers/db.ts";
import { orgOwner } from "../helpers/users.ts";
import { createDelivery, deliveryDeps, startSink } from "../webhooks/delivery-fixture.ts";

const KEY_A = Buffer.alloc(32, 7).toString("base64");
const KEY_B = Buffer.alloc(32, 8).toString("base64");
const OLD_ID = deriveKeyId(Buffer.alloc(32, 7));

const dataDir = mkdtempSync(join(tmpdir(), "fluxo-rotation-"));
const server = process.env.DATABASE_URL ? await createServerDatabase() : undefined;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await server?.drop();
});

/** The database the CLI sees: a fresh one on the PostgreSQL server, or the data dir's own. */
const openTarget = () => openDatabase({ databaseUrl: server?.url, dataDir });

/** An app on the target database holding `keys` (FLUXO_ENCRYPTION_KEYS format). */
const appWith = async (keys: string) =>
  startTestApp(
    { keyring: parseKeyring({ keys }), outboundAllow: parseAllowlist("127.0.0.1") },
    await openTarget(),
  );

const {
  DATABASE_URL: _db,
  BASE_URL: _base,
  FLUXO_ENCRYPTION_KEY: _k,
  FLUXO_ENCRYPTION_KEYS: _ks,
  ...env
} = process.env;
/** `fluxo …` as a child process in development, on the data dir (and the server database). */
const fluxo = (keys: string | undefined, ...args: string[]) =>
  spawnSync("node_modules/.bin/tsx", ["src/cli/fluxo.ts", ...args], {
    env: {
      ...env,
      NODE_ENV: "development",
      FLUXO_DATA_DIR: dataDir,
      ...(server && { DATABASE_URL: server.url }),
      ...(keys && { FLUXO_ENCRYPTION_KEYS: keys }),
    },
    encoding: "utf8",
  });

describe("vault rotation, run as processes", () => {
  it("re-encrypts webhook secrets too, so with the old key removed deliveries sign and secrets reveal", async () => {
    const sink = await startSink();
    const before = await appWith(`${OLD_ID}:${KEY_A}`);
    const { client, orgId } = await orgOwner(before, "Rotation Org");
    await client.mutate("credentials.create", {
      name: "api",
      type: "http_bearer",
      secret: { token: "the-token" },
    });
    const { id: endpointId } = await client.mutate<{ id: string }>("webhooks.create", {
      url: `${sink.url}/hooks`,
      eventTypes: ["review.approved"],
    });
    const { secret } = await client.mutate<{ secret: string }>("webhooks.rotateSecret", {
      endpointId,
      graceSeconds: 3600,
    });
    // another running instance that knows only the old key
    await before.deps.database.db.insert(vaultKeyringInstance).values({
      instanceId: "other-instance",
      host: "other-host",
      pid: 4242,
      activeKeyId: OLD_ID,
      keyIds: [OLD_ID],
    });
    const cookies = [...client.cookies];
    await before.close();

    const both = `b:${KEY_B},${KEY_A}`;
    const refused = fluxo(both, "vault", "rotate");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("other-host, pid 4242) does not have key b");
    const pending = fluxo(both, "vault", "status");
    expect(pending.stdout).toContain(
      "webhook_endpoint.secret_envelope: 1 rows, 1 still on an old key",
    );
    expect(pending.stdout).toContain(`key ${OLD_ID} is still used by 3 rows`);

    // step 1 done: every instance holds the new key (here: the other one restarted with it)
    const db = await openTarget();
    await db.db
      .update(vaultKeyringInstance)
      .set({ keyIds: [OLD_ID, "b"] })
      .where(eq(vaultKeyringInstance.instanceId, "other-instance"));
    await db.close();

    const ran = fluxo(both, "vault", "rotate");
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    for (const column of [
      "credential.secret_envelope",
      "webhook_endpoint.secret_envelope",
      "webhook_endpoint.previous_secret_envelope",
    ]) {
      expect(ran.stdout).toContain(`${column}: 1 rows, 0 still on an old key`);
    }
    expect(ran.stdout).toContain(`nothing uses key ${OLD_ID}; it can be removed`);

    // development: the data dir now holds the active key alone, and a plain start reads it
    expect(readFileSync(join(dataDir, "secrets", "encryption-keys"), "utf8")).toBe(`b:${KEY_B}\n`);
    const plain = fluxo(undefined, "vault", "status");
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain("active key: b");
    expect(plain.stdout).not.toContain("not in the keyring");

    const after = await appWith(`b:${KEY_B}`);
    try {
      const owner = after.client();
      for (const [name, value] of cookies) owner.cookies.set(name, value);
      const revealed = await owner.mutate<{ secret: string }>("webhooks.revealSecret", {
        endpointId,
      });
      expect(revealed.secret).toBe(secret);

      const deliveryId = await createDelivery(after, orgId, endpointId);
      const { deps } = deliveryDeps(after, { now: () => new Date() });
      await deliverJobs(deps, [{ orgId, deliveryId }]);
      const [request] = sink.requests;
      if (!request) throw new Error("the delivery was not sent");
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, String(v)]),
      );
      // both secrets sign during the grace period: the previous one was rotated as well
      expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      expect(() => new Webhook(secret).verify(request.body, headers)).not.toThrow();
    } finally {
      await after.close();
      await sink.close();
    }
  }, 240_000);
});
