import type { Config } from "../../config/config.ts";
import { DEVELOPMENT_KEYRING_FILE, writeSecret } from "../../config/secrets.ts";
import type { Db } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import { formatKeyring } from "./keyring.ts";
import { type LiveInstance, liveInstancesWithoutKey } from "./presence.ts";
import { type RotationProgress, rotateVault } from "./rotate.ts";
import { describeVaultStatus, type VaultStatus, vaultStatus } from "./status.ts";

export type RotationRun =
  | { refused: LiveInstance[] }
  | { refused: []; result: RotationProgress; status: VaultStatus };

/**
 * One rotation as `vault rotate` and server start-up run it: re-encrypt, log failures, then
 * log per column what is still on an old key and which keys can be removed.
 */
export async function runVaultRotation(
  db: Db,
  config: Pick<Config, "env" | "dataDir" | "keyring">,
  logger: Logger,
  options: {
    /** Server start-up: say nothing when there was nothing to rotate and no old key in the ring. */
    quietWhenIdle?: boolean;
    /** The running process itself, which knows its own keys. */
    exceptInstanceId?: string;
  } = {},
): Promise<RotationRun> {
  const { keyring } = config;
  // Envelopes under a key some running process cannot read would fail there at once.
  const refused = await liveInstancesWithoutKey(db, keyring.activeKeyId, options.exceptInstanceId);
  if (refused.length) {
    for (const instance of refused) {
      logger.error(
        {
          instanceId: instance.instanceId,
          host: instance.host,
          pid: instance.pid,
          keyIds: instance.keyIds,
          seenAt: instance.seenAt,
        },
        `vault: not rotating: a running process (${instance.host}, pid ${instance.pid}) does not have key ${keyring.activeKeyId}; add it to every instance as a non-active key and restart them first`,
      );
    }
    return { refused };
  }
  const result = await rotateVault(db, keyring, (p) =>
    logger.info(
      { rotated: p.rotated, changedMeanwhile: p.changedMeanwhile, failed: p.failed.length },
      "vault rotation progress",
    ),
  );
  for (const failure of result.failed)
    logger.error(failure, "vault envelope could not be re-encrypted");
  const status = await vaultStatus(db, keyring);
  const idle =
    keyring.keys.size === 1 &&
    !result.rotated &&
    !result.failed.length &&
    !Object.keys(status.missing).length;
  if (options.quietWhenIdle && idle) return { refused: [], result, status };
  logger.info(
    {
      activeKeyId: keyring.activeKeyId,
      rotated: result.rotated,
      failed: result.failed.length,
      onOldKey: Object.fromEntries(status.columns.map((c) => [c.name, c.onOldKey])),
      removableKeys: status.removable,
    },
    "vault rotation finished",
  );
  for (const line of describeVaultStatus(status)) logger.info(`vault: ${line}`);
  const complete = Object.keys(status.missing).length === 0;
  if (config.env === "development" && keyring.keys.size > 1 && complete) {
    // `npm start` without FLUXO_ENCRYPTION_KEYS reads the data directory's keyring: keep there
    // the active key and every key still in use, so every secret stays readable. Not when
    // some envelope's key is missing from the ring: that key may be the file's only copy.
    const file = writeSecret(
      config.dataDir,
      DEVELOPMENT_KEYRING_FILE,
      formatKeyring(keyring, (keyId) => keyId in status.stillUsed),
    );
    logger.info({ file }, "vault: development keyring saved for later starts");
  }
  return { refused: [], result, status };
}
