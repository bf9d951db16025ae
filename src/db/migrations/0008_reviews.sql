CREATE TYPE "public"."review_channel" AS ENUM('app', 'link', 'quick_action', 'api');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('pending', 'approved', 'rejected', 'cancelled');--> statement-breakpoint
CREATE TABLE "review_activity" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"review_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" "review_channel" NOT NULL,
	"actor_label" text,
	"member_id" text,
	"link_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_activity" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "review_assignee" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"review_id" text NOT NULL,
	"member_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_assignee" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "review_link" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"review_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"max_uses" integer DEFAULT 1 NOT NULL,
	"decisions" integer DEFAULT 0 NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_link_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "review_link" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "review_request" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_id" text,
	"execution_id" text,
	"node_id" text,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"any_reviewer" boolean DEFAULT false NOT NULL,
	"status" "review_status" DEFAULT 'pending' NOT NULL,
	"decided_by_member_id" text,
	"decided_by_link_id" text,
	"decided_by_label" text,
	"decision_channel" "review_channel",
	"decision_comment" text,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_request" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "execution_step" ADD COLUMN "timeout_port" text;--> statement-breakpoint
-- the composite foreign keys to review_request need this unique index first
CREATE UNIQUE INDEX "review_request_org_id_idx" ON "review_request" USING btree ("organization_id","id");--> statement-breakpoint
ALTER TABLE "review_activity" ADD CONSTRAINT "review_activity_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_activity" ADD CONSTRAINT "review_activity_review_fk" FOREIGN KEY ("organization_id","review_id") REFERENCES "public"."review_request"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assignee" ADD CONSTRAINT "review_assignee_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assignee" ADD CONSTRAINT "review_assignee_review_fk" FOREIGN KEY ("organization_id","review_id") REFERENCES "public"."review_request"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assignee" ADD CONSTRAINT "review_assignee_member_fk" FOREIGN KEY ("organization_id","member_id") REFERENCES "public"."member"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_link" ADD CONSTRAINT "review_link_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_link" ADD CONSTRAINT "review_link_review_fk" FOREIGN KEY ("organization_id","review_id") REFERENCES "public"."review_request"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_request" ADD CONSTRAINT "review_request_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_activity_org_review_idx" ON "review_activity" USING btree ("organization_id","review_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_assignee_review_member_idx" ON "review_assignee" USING btree ("review_id","member_id");--> statement-breakpoint
CREATE INDEX "review_assignee_org_member_idx" ON "review_assignee" USING btree ("organization_id","member_id");--> statement-breakpoint
CREATE INDEX "review_link_org_review_idx" ON "review_link" USING btree ("organization_id","review_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_request_execution_node_idx" ON "review_request" USING btree ("execution_id","node_id");--> statement-breakpoint
CREATE INDEX "review_request_org_status_idx" ON "review_request" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE POLICY "review_activity_tenant_isolation" ON "review_activity" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "review_assignee_tenant_isolation" ON "review_assignee" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "review_link_tenant_isolation" ON "review_link" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "review_request_tenant_isolation" ON "review_request" AS PERMISSIVE FOR ALL TO "fluxo_app" USING (organization_id = current_setting('app.org_id', true)) WITH CHECK (organization_id = current_setting('app.org_id', true));