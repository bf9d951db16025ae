import { sql } from "drizzle-orm";
import { pgPolicy, pgRole } from "drizzle-orm/pg-core";

/** The non-superuser role every tenant-scoped transaction runs as (created in migration 0000). */
export const appRole = pgRole("fluxo_app").existing();

/**
 * Row-level security for a tenant table: rows are visible and writable only when
 * `app.org_id`, set per transaction by `withTenant`, names their organization.
 */
export const tenantPolicy = (table: string) =>
  pgPolicy(`${table}_tenant_isolation`, {
    as: "permissive",
    for: "all",
    to: appRole,
    using: sql`organization_id = current_setting('app.org_id', true)`,
    withCheck: sql`organization_id = current_setting('app.org_id', true)`,
  });
