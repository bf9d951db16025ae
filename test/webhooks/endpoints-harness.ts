import { sql } from "drizzle-orm";
import type { TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";

/** An endpoint as the API answers it (dates are ISO strings over JSON). */
export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  secret?: string;
}

export const createEndpoint = (
  client: TestClient,
  input: { url?: string; eventTypes?: string[]; description?: string } = {},
) =>
  client.mutate<EndpointView & { secret: string }>("webhooks.create", {
    url: "https://hooks.example.com/fluxo",
    eventTypes: ["review.created"],
    ...input,
  });

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  status: string;
}

export const deliveriesOf = (t: TestApp, endpointId: string) =>
  dbRows<DeliveryRow>(
    t,
    sql`select id, endpoint_id, event_type, payload, status from webhook_delivery
        where endpoint_id = ${endpointId} order by id`,
  );

/** The delivery jobs on the queue, as {orgId, deliveryId}. */
export async function deliverJobs(t: TestApp) {
  const rows = await dbRows<{ data: { orgId: string; deliveryId: string } }>(
    t,
    sql`select data from pgboss.job where name = 'webhook.deliver'`,
  );
  return rows.map((r) => r.data);
}

/** Rows, in any table of the database, whose text contains `needle`: "table: count". */
export async function tablesContaining(t: TestApp, needle: string): Promise<string[]> {
  const tables = await dbRows<{ schema: string; name: string }>(
    t,
    sql`select table_schema as schema, table_name as name from information_schema.tables
        where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { schema, name } of tables) {
    const [row] = await dbRows<{ n: number | string }>(
      t,
      sql`select count(*)::int as n from ${sql.identifier(schema)}.${sql.identifier(name)} r
          where strpos(r::text, ${needle}) > 0`,
    );
    if (Number(row?.n) > 0) found.push(`${schema}.${name}: ${row?.n}`);
  }
  return found;
}
