import type { ApiScope } from "../../src/access/statements.ts";
import type { TestApp } from "./app.ts";
import type { TestClient } from "./client.ts";

/** A key as `apiKeys.list` returns it (dates are ISO strings over JSON). */
export interface ListedKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  status: "active" | "expired" | "revoked";
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  rolledFromId: string | null;
}

/**
 * Issues an API key through the app, as an OWNER or ADMIN `client` of the organization
 * would; returns its id and the full key (shown only in that answer).
 */
export async function createApiKey(
  _t: TestApp,
  client: TestClient,
  opts: { scopes: ApiScope[]; name?: string; expiresInSeconds?: number },
): Promise<{ id: string; key: string }> {
  const created = await client.mutate<{ id: string; key: string }>("apiKeys.create", {
    name: opts.name ?? "test key",
    scopes: opts.scopes,
    ...(opts.expiresInSeconds !== undefined && { expiresInSeconds: opts.expiresInSeconds }),
  });
  return { id: created.id, key: created.key };
}
