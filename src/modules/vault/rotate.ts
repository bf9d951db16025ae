import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { recordAudit } from "../audit/record.ts";
import type { Keyring } from "./keyring.ts";
import type { SealedColumn } from "./sealed.ts";
import { sealedColumns } from "./sealed-columns.ts";

export interface RotationProgress {
  rotated: number;
  /** Rows changed by someone else mid-rotation; their new envelope is under the active key. */
  changedMeanwhile: number;
  failed: { column: string; id: string; reason: string }[];
}

const BATCH = 100;

/**
 * Re-encrypts every envelope of every sealed column (credentials, webhook signing secrets)
 * under the keyring's active key while the server keeps serving. Each row is swapped in its
 * own short transaction, and only if its envelope is still the one that was read, so a
 * concurrent edit is never overwritten and nothing is half-written. Running it again
 * continues where it stopped; a finished run changes nothing.
 */
export async function rotateVault(
  db: Db,
  keyring: Keyring,
  onProgress: (progress: RotationProgress) => void = () => {},
  columns: readonly SealedColumn[] = sealedColumns,
): Promise<RotationProgress> {
  const progress: RotationProgress = { rotated: 0, changedMeanwhile: 0, failed: [] };
  const perOrg = new Map<string, Record<string, number>>();
  for (const column of columns) {
    await rotateColumn(db, keyring, column, progress, (orgId) => {
      const counts = perOrg.get(orgId) ?? {};
      counts[column.name] = (counts[column.name] ?? 0) + 1;
      perOrg.set(orgId, counts);
    });
    onProgress(progress);
  }
  for (const [orgId, rotated] of perOrg) {
    await withTenant(db, orgId, (tx) =>
      recordAudit(
        tx,
        {
          orgId,
          actor: { kind: "system", reason: "vault rotate" },
          meta: { requestId: randomUUID(), ip: undefined, userAgent: undefined },
        },
        { action: "vault.key_rotated", metadata: { keyId: keyring.activeKeyId, rotated } },
      ),
    );
  }
  return progress;
}

async function rotateColumn(
  db: Db,
  keyring: Keyring,
  column: SealedColumn,
  progress: RotationProgress,
  onRotated: (orgId: string) => void,
) {
  const skip = new Set<string>();
  for (;;) {
    const batch = (await column.findNotUnderKey(db, keyring.activeKeyId, BATCH + skip.size)).filter(
      (row) => !skip.has(row.id),
    );
    if (batch.length === 0) return;
    for (const row of batch) {
      let next: string;
      try {
        next = column.reseal(keyring, row);
      } catch (error) {
        skip.add(row.id);
        progress.failed.push({ column: column.name, id: row.id, reason: (error as Error).message });
        continue;
      }
      const swapped = await withTenant(db, row.organizationId, (tx) =>
        column.swap(tx, row, next, keyring.activeKeyId),
      );
      if (swapped) {
        progress.rotated++;
        onRotated(row.organizationId);
      } else {
        progress.changedMeanwhile++;
      }
    }
  }
}
