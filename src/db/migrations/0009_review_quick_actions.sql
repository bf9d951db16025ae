CREATE TABLE "review_quick_action" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"review_id" text NOT NULL,
	"action" text NOT NULL,
	"token_hash" text NOT NULL,
	"recipient" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_quick_action_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "review_quick_action" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "review_quick_action" ADD CONSTRAINT "review_quick_action_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_quick_action" ADD CONSTRAINT "review_quick_action_review_fk" FOREIGN KEY ("organization_id","review_id") REFERENCES "public"."review_request"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_quick_action_org_review_idx" ON "review_quick_action" USING btree ("organization_id","review_id");--> statement-breakpoint
CREATE POLICY "review_quick_action_tenant_isolation" ON "review_quick_action" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));