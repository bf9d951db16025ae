import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { decryptSecret } from "./crypto.ts";
import { SecretMask } from "./mask.ts";
import * as repo from "./repo.ts";
import type { VaultDeps } from "./service.ts";

/**
 * A mask of these credentials' secrets, for showing data they may have reached (an expression
 * preview over an execution's outputs). The secrets are decrypted only into the mask, which
 * never gives them out, so no `use` permission is needed; a missing credential is skipped.
 */
export async function maskOfCredentials(
  deps: VaultDeps,
  tx: Tx,
  ctx: MemberContext,
  credentialIds: Iterable<string>,
): Promise<SecretMask> {
  const mask = new SecretMask();
  for (const credentialId of new Set(credentialIds)) {
    const row = await repo.findSealed(tx, ctx, credentialId);
    if (!row) continue;
    const binding = { orgId: ctx.orgId, credentialId: row.id, credentialType: row.type };
    mask.add({
      id: row.id,
      type: row.type,
      settings: row.settings,
      secret: decryptSecret(deps.keyring, binding, row.secretEnvelope),
    });
  }
  return mask;
}
