import type { MemberContext } from "../../access/context.ts";
import { withTenant } from "../../db/tenant.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { authorizeAsset } from "../sharing/authorize-asset.ts";
import { decryptSecret } from "./crypto.ts";
import * as repo from "./repo.ts";
import type { VaultDeps } from "./service.ts";

export interface CredentialUse {
  credentialId: string;
  /** Credential types the caller (a node type, a connection test) accepts. */
  accepts: readonly string[];
  /** Why it is used, recorded in the audit trail, e.g. { executionId, nodeId }. */
  purpose: Record<string, string>;
}

export interface UnsealedCredential {
  id: string;
  type: string;
  settings: Record<string, unknown>;
  secret: Record<string, unknown>;
}

/**
 * The only way to use a credential's secret. Every call re-checks the organization, the
 * member's `use` permission and the type alignment, records the use, and hands the decrypted
 * secret to `provider` — the provider call itself. The plaintext never leaves this function
 * except as `provider`'s argument; `provider` must not return or log it.
 */
export async function withCredential<T>(
  deps: VaultDeps,
  ctx: MemberContext,
  use: CredentialUse,
  provider: (credential: UnsealedCredential) => Promise<T>,
): Promise<T> {
  const unsealed = await withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizeAsset(tx, ctx, "credential", use.credentialId, "use");
    const row = await repo.findSealed(tx, ctx, use.credentialId);
    if (!row) throw notFound("Credential");
    if (!use.accepts.includes(row.type)) {
      throw badRequest(
        `Credential "${row.name}" is of type ${row.type}; this step accepts ${use.accepts.join(", ")}`,
        "credentialId",
      );
    }
    await repo.markUsed(tx, ctx, row.id);
    await recordAudit(tx, ctx, {
      action: "credential.used",
      targetType: "credential",
      targetId: row.id,
      metadata: { type: row.type, ...use.purpose },
    });
    const binding = { orgId: ctx.orgId, credentialId: row.id, credentialType: row.type };
    return {
      id: row.id,
      type: row.type,
      settings: row.settings,
      secret: decryptSecret(deps.keyring, binding, row.secretEnvelope),
    };
  });
  return provider(unsealed);
}
