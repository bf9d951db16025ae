import { and, asc, eq, isNotNull, ne, sql } from "drizzle-orm";
import { webhookEndpoint } from "../../db/schema/index.ts";
import type { SealedColumn } from "../vault/sealed.ts";
import { openWebhookSecret, sealWebhookSecret } from "./secrets.ts";

/**
 * The endpoint's signing secret and, during a secret rotation's grace period, the previous
 * one: both are vault envelopes, which name their key id (`v1.<kid>.…`), so the key id is
 * read from the envelope itself rather than kept in a second column that could disagree.
 */
export const webhookSecretColumns: SealedColumn[] = [
  sealedSecretColumn("secretEnvelope"),
  sealedSecretColumn("previousSecretEnvelope"),
];

function sealedSecretColumn(field: "secretEnvelope" | "previousSecretEnvelope"): SealedColumn {
  const column = webhookEndpoint[field];
  const keyIdOf = sql<string>`split_part(${column}, '.', 2)`;
  return {
    name: `webhook_endpoint.${column.name}`,
    async findNotUnderKey(db, activeKeyId, limit) {
      return db
        .select({
          id: webhookEndpoint.id,
          organizationId: webhookEndpoint.organizationId,
          envelope: sql<string>`${column}`,
        })
        .from(webhookEndpoint)
        .where(and(isNotNull(column), ne(keyIdOf, activeKeyId)))
        .orderBy(asc(webhookEndpoint.id))
        .limit(limit);
    },
    reseal(keyring, row) {
      const owner = { orgId: row.organizationId, endpointId: row.id };
      return sealWebhookSecret(keyring, owner, openWebhookSecret(keyring, owner, row.envelope));
    },
    async swap(tx, row, next) {
      const updated = await tx
        .update(webhookEndpoint)
        .set({ [field]: next })
        .where(
          and(
            eq(webhookEndpoint.organizationId, row.organizationId),
            eq(webhookEndpoint.id, row.id),
            eq(column, row.envelope),
          ),
        )
        .returning({ id: webhookEndpoint.id });
      return updated.length === 1;
    },
    async countByKey(db) {
      return db
        .select({ keyId: keyIdOf, rows: sql<number>`count(*)::int` })
        .from(webhookEndpoint)
        .where(isNotNull(column))
        .groupBy(keyIdOf);
    },
  };
}
