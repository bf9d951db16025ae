CREATE TABLE "execution_retention" (
	"organization_id" text PRIMARY KEY NOT NULL,
	"keep_days" integer NOT NULL,
	"keep_failed_days" integer NOT NULL,
	"keep_per_workflow" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "execution_retention" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "execution_retention" ADD CONSTRAINT "execution_retention_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "execution_queued_idx" ON "execution" USING btree ("organization_id") WHERE "execution"."status" = 'queued';--> statement-breakpoint
CREATE POLICY "execution_retention_tenant_isolation" ON "execution_retention" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));