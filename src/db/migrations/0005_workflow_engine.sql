CREATE TYPE "public"."execution_status" AS ENUM('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."step_status" AS ENUM('running', 'retrying', 'waiting', 'succeeded', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "execution" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" "execution_status" DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"triggered_by" text,
	"error" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "execution" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "execution_step" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"execution_id" text NOT NULL,
	"node_id" text NOT NULL,
	"status" "step_status" NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"port" text,
	"input" jsonb,
	"output" jsonb,
	"error" text,
	"wait_key" text,
	"wait_until" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
ALTER TABLE "execution_step" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "workflow_version" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"author_member_id" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workflow_version" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "workflow" ADD COLUMN "current_version" integer;--> statement-breakpoint
ALTER TABLE "workflow" ADD COLUMN "webhook_secret_hash" text;--> statement-breakpoint
ALTER TABLE "execution" ADD CONSTRAINT "execution_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution" ADD CONSTRAINT "execution_workflow_id_workflow_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflow"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution" ADD CONSTRAINT "execution_triggered_by_user_id_fk" FOREIGN KEY ("triggered_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_step" ADD CONSTRAINT "execution_step_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_step" ADD CONSTRAINT "execution_step_execution_id_execution_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."execution"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_workflow_id_workflow_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflow"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "execution_org_workflow_idx" ON "execution" USING btree ("organization_id","workflow_id","created_at");--> statement-breakpoint
CREATE INDEX "execution_org_status_idx" ON "execution" USING btree ("organization_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_step_execution_node_idx" ON "execution_step" USING btree ("execution_id","node_id");--> statement-breakpoint
CREATE INDEX "execution_step_org_idx" ON "execution_step" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "execution_step_wait_idx" ON "execution_step" USING btree ("wait_key");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_version_workflow_version_idx" ON "workflow_version" USING btree ("workflow_id","version");--> statement-breakpoint
CREATE INDEX "workflow_version_org_idx" ON "workflow_version" USING btree ("organization_id");--> statement-breakpoint
CREATE POLICY "execution_tenant_isolation" ON "execution" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "execution_step_tenant_isolation" ON "execution_step" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "workflow_version_tenant_isolation" ON "workflow_version" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));