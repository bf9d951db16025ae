import type { Db } from "../../db/client.ts";
import type { Keyring } from "./keyring.ts";
import type { SealedColumn } from "./sealed.ts";
import { sealedColumns } from "./sealed-columns.ts";

export interface VaultStatus {
  activeKeyId: string;
  /** Per sealed column: envelopes per key id, and how many are not under the active key. */
  columns: { name: string; byKey: Record<string, number>; onOldKey: number }[];
  /** Keys of the ring that no envelope uses: they can be removed (never the active key). */
  removable: string[];
  /** Keys of the ring, not active, that envelopes still use, with how many. */
  stillUsed: Record<string, number>;
  /** Key ids envelopes use that the ring does not hold: those envelopes cannot be read. */
  missing: Record<string, number>;
}

/** Which keys the stored envelopes use, so an operator knows when an old key may go. */
export async function vaultStatus(
  db: Db,
  keyring: Keyring,
  columns: readonly SealedColumn[] = sealedColumns,
): Promise<VaultStatus> {
  const used = new Map<string, number>();
  const report: VaultStatus["columns"] = [];
  for (const column of columns) {
    const byKey: Record<string, number> = {};
    let onOldKey = 0;
    for (const { keyId, rows } of await column.countByKey(db)) {
      byKey[keyId] = rows;
      used.set(keyId, (used.get(keyId) ?? 0) + rows);
      if (keyId !== keyring.activeKeyId) onOldKey += rows;
    }
    report.push({ name: column.name, byKey, onOldKey });
  }
  const stillUsed: Record<string, number> = {};
  const missing: Record<string, number> = {};
  for (const [keyId, rows] of used) {
    if (!keyring.keys.has(keyId)) missing[keyId] = rows;
    else if (keyId !== keyring.activeKeyId) stillUsed[keyId] = rows;
  }
  const removable = [...keyring.keys.keys()].filter(
    (keyId) => keyId !== keyring.activeKeyId && !used.has(keyId),
  );
  return { activeKeyId: keyring.activeKeyId, columns: report, removable, stillUsed, missing };
}

/** The status as lines for people: per column, then what may (not) be removed. */
export function describeVaultStatus(status: VaultStatus): string[] {
  const lines = [`active key: ${status.activeKeyId}`];
  for (const { name, byKey, onOldKey } of status.columns) {
    const total = Object.values(byKey).reduce((sum, n) => sum + n, 0);
    const old = Object.entries(byKey)
      .filter(([keyId]) => keyId !== status.activeKeyId)
      .map(([keyId, n]) => `${keyId}: ${n}`);
    lines.push(
      `${name}: ${total} rows, ${onOldKey} still on an old key${old.length ? ` (${old.join(", ")})` : ""}`,
    );
  }
  for (const [keyId, rows] of Object.entries(status.stillUsed)) {
    lines.push(
      `key ${keyId} is still used by ${rows} rows; run vault rotate, do not remove it yet`,
    );
  }
  for (const [keyId, rows] of Object.entries(status.missing)) {
    lines.push(
      `key ${keyId} is used by ${rows} rows but is not in the keyring: those rows cannot be read until it is added back`,
    );
  }
  for (const keyId of status.removable) lines.push(`nothing uses key ${keyId}; it can be removed`);
  return lines;
}
