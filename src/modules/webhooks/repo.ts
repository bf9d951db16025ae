import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { webhookEndpoint } from "../../db/schema/index.ts";

/** Everything about an endpoint except its secrets. */
const publicColumns = {
  id: webhookEndpoint.id,
  url: webhookEndpoint.url,
  description: webhookEndpoint.description,
  eventTypes: webhookEndpoint.eventTypes,
  enabled: webhookEndpoint.enabled,
  disabledReason: webhookEndpoint.disabledReason,
  disabledAt: webhookEndpoint.disabledAt,
  failingSince: webhookEndpoint.failingSince,
  previousSecretExpiresAt: webhookEndpoint.previousSecretExpiresAt,
  createdAt: webhookEndpoint.createdAt,
  updatedAt: webhookEndpoint.updatedAt,
};

export type EndpointView = NonNullable<Awaited<ReturnType<typeof findEndpoint>>>;

const byId = (orgId: string, id: string) =>
  and(eq(webhookEndpoint.organizationId, orgId), eq(webhookEndpoint.id, id));

export function listEndpoints(tx: Tx, orgId: string) {
  return tx
    .select(publicColumns)
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.organizationId, orgId))
    .orderBy(desc(webhookEndpoint.createdAt), desc(webhookEndpoint.id));
}

export async function findEndpoint(tx: Tx, orgId: string, id: string) {
  const [row] = await tx.select(publicColumns).from(webhookEndpoint).where(byId(orgId, id));
  return row;
}

/** The row with its secret envelopes, for this module's secret handling only. */
export async function findSealedEndpoint(tx: Tx, orgId: string, id: string) {
  const [row] = await tx.select().from(webhookEndpoint).where(byId(orgId, id)).for("update");
  return row;
}

export async function insertEndpoint(tx: Tx, values: typeof webhookEndpoint.$inferInsert) {
  const [row] = await tx.insert(webhookEndpoint).values(values).returning(publicColumns);
  return row as EndpointView;
}

export async function updateEndpoint(
  tx: Tx,
  orgId: string,
  id: string,
  changes: Partial<typeof webhookEndpoint.$inferInsert>,
) {
  const [row] = await tx
    .update(webhookEndpoint)
    .set({ ...changes, updatedAt: new Date() })
    .where(byId(orgId, id))
    .returning(publicColumns);
  return row;
}

/** Deliveries and attempts go with it (foreign keys cascade). */
export async function deleteEndpoint(tx: Tx, orgId: string, id: string) {
  const rows = await tx
    .delete(webhookEndpoint)
    .where(byId(orgId, id))
    .returning({ id: webhookEndpoint.id, url: webhookEndpoint.url });
  return rows[0];
}
