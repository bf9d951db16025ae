import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, gt, lt, ne, not, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { vaultKeyringInstance } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Keyring } from "./keyring.ts";

/** A process refreshes its row this often … */
export const PRESENCE_INTERVAL_MS = 60_000;
/** … and counts as running while its row is younger than this. */
export const PRESENCE_WINDOW_MS = 5 * 60_000;
/** Rows of processes gone for longer than this are deleted. */
const FORGET_AFTER_MS = 24 * 3600_000;

export interface KeyringPresence {
  readonly instanceId: string;
  /** Stops refreshing and deletes this process's row. */
  stop(): Promise<void>;
}

export interface LiveInstance {
  instanceId: string;
  host: string;
  pid: number;
  activeKeyId: string;
  keyIds: string[];
  seenAt: Date;
}

/**
 * Records which key ids this process's keyring holds (never key material) and refreshes the
 * record on an unref'd timer; errors are logged, never thrown into the server.
 */
export async function announceKeyring(
  db: Db,
  keyring: Keyring,
  logger: Logger,
  intervalMs = PRESENCE_INTERVAL_MS,
): Promise<KeyringPresence> {
  const row = {
    instanceId: randomUUID(),
    host: hostname(),
    pid: process.pid,
    activeKeyId: keyring.activeKeyId,
    keyIds: [...keyring.keys.keys()],
  };
  const beat = async () => {
    try {
      await db
        .insert(vaultKeyringInstance)
        .values(row)
        .onConflictDoUpdate({
          target: vaultKeyringInstance.instanceId,
          set: { seenAt: sql`now()` },
        });
      await db
        .delete(vaultKeyringInstance)
        .where(
          lt(
            vaultKeyringInstance.seenAt,
            sql`now() - ${`${FORGET_AFTER_MS} milliseconds`}::interval`,
          ),
        );
    } catch (error) {
      logger.warn({ err: error }, "vault: could not record this process's key ids");
    }
  };
  let running = beat();
  await running;
  const timer = setInterval(() => {
    running = running.then(beat);
  }, intervalMs);
  timer.unref();
  return {
    instanceId: row.instanceId,
    async stop() {
      clearInterval(timer);
      await running;
      await db
        .delete(vaultKeyringInstance)
        .where(eq(vaultKeyringInstance.instanceId, row.instanceId))
        .catch((error: unknown) =>
          logger.warn({ err: error }, "vault: could not remove this process's key ids"),
        );
    },
  };
}

/** Processes seen within the presence window whose keyring does not hold `keyId`. */
export function liveInstancesWithoutKey(
  db: Db,
  keyId: string,
  exceptInstanceId?: string,
): Promise<LiveInstance[]> {
  const t = vaultKeyringInstance;
  return db
    .select()
    .from(t)
    .where(
      and(
        gt(t.seenAt, sql`now() - ${`${PRESENCE_WINDOW_MS} milliseconds`}::interval`),
        not(sql`${keyId} = any(${t.keyIds})`),
        exceptInstanceId ? ne(t.instanceId, exceptInstanceId) : undefined,
      ),
    );
}
