import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { recordAudit } from "../audit/record.ts";
import { reencryptSecret } from "./crypto.ts";
import type { Keyring } from "./keyring.ts";
import * as repo from "./repo.ts";

export interface RotationProgress {
  rotated: number;
  /** Rows changed by someone else mid-rotation; their new envelope is under the active key. */
  changedMeanwhile: number;
  failed: { id: string; reason: string }[];
}

const BATCH = 100;

/**
 * Re-encrypts every credential under the keyring's active key while the server keeps
 * serving. Each row is swapped in its own short transaction, and only if its envelope is
 * still the one that was read, so a concurrent edit is never overwritten and nothing is
 * half-written. Running it again continues where it stopped; a finished run changes nothing.
 */
export async function rotateCredentials(
  db: Db,
  keyring: Keyring,
  onProgress: (progress: RotationProgress) => void = () => {},
): Promise<RotationProgress> {
  const progress: RotationProgress = { rotated: 0, changedMeanwhile: 0, failed: [] };
  const perOrg = new Map<string, number>();
  const skip = new Set<string>();
  for (;;) {
    const batch = (await repo.findNotUnderKey(db, keyring.activeKeyId, BATCH + skip.size)).filter(
      (row) => !skip.has(row.id),
    );
    if (batch.length === 0) break;
    for (const row of batch) {
      const binding = { orgId: row.organizationId, credentialId: row.id, credentialType: row.type };
      let next: string;
      try {
        next = reencryptSecret(keyring, binding, row.secretEnvelope);
      } catch (error) {
        skip.add(row.id);
        progress.failed.push({ id: row.id, reason: (error as Error).message });
        continue;
      }
      const swapped = await withTenant(db, row.organizationId, (tx) =>
        repo.swapEnvelope(tx, row, { secretEnvelope: next, keyId: keyring.activeKeyId }),
      );
      if (swapped) {
        progress.rotated++;
        perOrg.set(row.organizationId, (perOrg.get(row.organizationId) ?? 0) + 1);
      } else {
        progress.changedMeanwhile++;
      }
    }
    onProgress(progress);
  }
  for (const [orgId, count] of perOrg) {
    await withTenant(db, orgId, (tx) =>
      recordAudit(
        tx,
        {
          orgId,
          actor: { kind: "system", reason: "vault rotate" },
          meta: { requestId: randomUUID(), ip: undefined, userAgent: undefined },
        },
        {
          action: "vault.key_rotated",
          metadata: { credentials: count, keyId: keyring.activeKeyId },
        },
      ),
    );
  }
  return progress;
}
