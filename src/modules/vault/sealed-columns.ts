import { webhookSecretColumns } from "../webhooks/sealed-secrets.ts";
import { reencryptSecret } from "./crypto.ts";
import * as repo from "./repo.ts";
import type { SealedColumn, SealedRow } from "./sealed.ts";

const credentialSecrets: SealedColumn<SealedRow & { type: string }> = {
  name: "credential.secret_envelope",
  findNotUnderKey: repo.findNotUnderKey,
  reseal: (keyring, row) =>
    reencryptSecret(
      keyring,
      { orgId: row.organizationId, credentialId: row.id, credentialType: row.type },
      row.envelope,
    ),
  swap: (tx, row, next, keyId) => repo.swapEnvelope(tx, row, { secretEnvelope: next, keyId }),
  countByKey: repo.countByKey,
};

/**
 * Every column encrypted with the vault keyring. Better Auth's OAuth tokens are not here:
 * Better Auth encrypts them with BETTER_AUTH_SECRET, not with the keyring.
 */
export const sealedColumns: readonly SealedColumn[] = [credentialSecrets, ...webhookSecretColumns];
