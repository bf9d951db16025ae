CREATE TYPE "public"."asset_level" AS ENUM('view', 'use', 'edit');--> statement-breakpoint
CREATE TYPE "public"."sharing_mode" AS ENUM('shared', 'restricted');--> statement-breakpoint
CREATE TABLE "workflow" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sharing_mode" "sharing_mode" DEFAULT 'restricted' NOT NULL,
	"default_level" "asset_level" NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workflow" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "workflow_grant" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"asset_id" text NOT NULL,
	"member_id" text NOT NULL,
	"level" "asset_level" NOT NULL,
	"granted_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workflow_grant" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
-- composite foreign keys below need these unique indexes first
CREATE UNIQUE INDEX "workflow_org_id_idx" ON "workflow" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "member_org_id_idx" ON "member" USING btree ("organization_id","id");--> statement-breakpoint
ALTER TABLE "workflow" ADD CONSTRAINT "workflow_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow" ADD CONSTRAINT "workflow_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_grant" ADD CONSTRAINT "workflow_grant_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_grant" ADD CONSTRAINT "workflow_grant_granted_by_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_grant" ADD CONSTRAINT "workflow_grant_member_fk" FOREIGN KEY ("organization_id","member_id") REFERENCES "public"."member"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_grant" ADD CONSTRAINT "workflow_grant_asset_fk" FOREIGN KEY ("organization_id","asset_id") REFERENCES "public"."workflow"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_org_name_idx" ON "workflow" USING btree ("organization_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_grant_asset_member_idx" ON "workflow_grant" USING btree ("asset_id","member_id");--> statement-breakpoint
CREATE INDEX "workflow_grant_org_member_idx" ON "workflow_grant" USING btree ("organization_id","member_id");--> statement-breakpoint
CREATE POLICY "workflow_tenant_isolation" ON "workflow" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "workflow_grant_tenant_isolation" ON "workflow_grant" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));