-- The role tenant-scoped transactions switch to (SET LOCAL ROLE). It is not a superuser and
-- does not bypass row-level security. Roles are cluster-wide, so creation tolerates a role
-- that another database (or a concurrent migration) already made.
DO $$
BEGIN
  CREATE ROLE fluxo_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
GRANT fluxo_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO fluxo_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fluxo_app;
