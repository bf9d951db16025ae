CREATE TABLE "review_session" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"review_id" text NOT NULL,
	"link_id" text,
	"quick_action_id" text,
	"token_hash" text NOT NULL,
	"csrf_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_session_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "review_session_one_grant" CHECK (num_nonnulls("review_session"."link_id", "review_session"."quick_action_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "review_session" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
-- the composite foreign keys to review_link and review_quick_action need these unique indexes first
CREATE UNIQUE INDEX "review_link_org_id_idx" ON "review_link" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_quick_action_org_id_idx" ON "review_quick_action" USING btree ("organization_id","id");--> statement-breakpoint
ALTER TABLE "review_session" ADD CONSTRAINT "review_session_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_session" ADD CONSTRAINT "review_session_review_fk" FOREIGN KEY ("organization_id","review_id") REFERENCES "public"."review_request"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_session" ADD CONSTRAINT "review_session_link_fk" FOREIGN KEY ("organization_id","link_id") REFERENCES "public"."review_link"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_session" ADD CONSTRAINT "review_session_quick_action_fk" FOREIGN KEY ("organization_id","quick_action_id") REFERENCES "public"."review_quick_action"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_session_org_review_idx" ON "review_session" USING btree ("organization_id","review_id","expires_at");--> statement-breakpoint
CREATE POLICY "review_session_tenant_isolation" ON "review_session" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));