CREATE TABLE "credential" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"settings" jsonb NOT NULL,
	"secret_envelope" text NOT NULL,
	"secret_fields" text[] NOT NULL,
	"key_id" text NOT NULL,
	"sharing_mode" "sharing_mode" DEFAULT 'restricted' NOT NULL,
	"default_level" "asset_level" NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "credential" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "credential_grant" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"asset_id" text NOT NULL,
	"member_id" text NOT NULL,
	"level" "asset_level" NOT NULL,
	"granted_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credential_grant" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
-- the composite foreign key from credential_grant needs this unique index first
CREATE UNIQUE INDEX "credential_org_id_idx" ON "credential" USING btree ("organization_id","id");--> statement-breakpoint
ALTER TABLE "credential" ADD CONSTRAINT "credential_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential" ADD CONSTRAINT "credential_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential" ADD CONSTRAINT "credential_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_grant" ADD CONSTRAINT "credential_grant_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_grant" ADD CONSTRAINT "credential_grant_granted_by_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_grant" ADD CONSTRAINT "credential_grant_member_fk" FOREIGN KEY ("organization_id","member_id") REFERENCES "public"."member"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_grant" ADD CONSTRAINT "credential_grant_asset_fk" FOREIGN KEY ("organization_id","asset_id") REFERENCES "public"."credential"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_org_name_idx" ON "credential" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "credential_key_id_idx" ON "credential" USING btree ("key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_grant_asset_member_idx" ON "credential_grant" USING btree ("asset_id","member_id");--> statement-breakpoint
CREATE INDEX "credential_grant_org_member_idx" ON "credential_grant" USING btree ("organization_id","member_id");--> statement-breakpoint
CREATE POLICY "credential_tenant_isolation" ON "credential" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "credential_grant_tenant_isolation" ON "credential_grant" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));