ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_triggered';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_notified';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_acknowledged';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_exhausted';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_ended';--> statement-breakpoint
CREATE TABLE "escalation_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"levels" jsonb NOT NULL,
	"repeat" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "on_call_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "on_call_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"time_zone" text NOT NULL,
	"layers" jsonb NOT NULL,
	"feed_token_hash" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "page_recipients" (
	"page_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"round" integer NOT NULL,
	"paged_at" timestamp with time zone NOT NULL,
	CONSTRAINT "page_recipients_page_id_round_level_user_id_pk" PRIMARY KEY("page_id","round","level","user_id")
);
--> statement-breakpoint
CREATE TABLE "pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"state" text NOT NULL,
	"message" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"triggered_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_id" uuid,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "escalation_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "escalation_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notification_preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "breach_escalate_to_manager" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "breach_escalate_to_user_id" uuid;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_schedule_id_on_call_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."on_call_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "on_call_overrides" ADD CONSTRAINT "on_call_overrides_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "page_recipients" ADD CONSTRAINT "page_recipients_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "page_recipients" ADD CONSTRAINT "page_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_policy_id_escalation_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."escalation_policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_triggered_by_id_users_id_fk" FOREIGN KEY ("triggered_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_acknowledged_by_id_users_id_fk" FOREIGN KEY ("acknowledged_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "escalation_policies_name_unique" ON "escalation_policies" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "on_call_overrides_schedule_idx" ON "on_call_overrides" USING btree ("schedule_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "on_call_schedules_name_unique" ON "on_call_schedules" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "page_recipients_user_idx" ON "page_recipients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "pages_ticket_idx" ON "pages" USING btree ("ticket_id","created_at");--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_escalation_policy_id_escalation_policies_id_fk" FOREIGN KEY ("escalation_policy_id") REFERENCES "public"."escalation_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_escalation_policy_id_escalation_policies_id_fk" FOREIGN KEY ("escalation_policy_id") REFERENCES "public"."escalation_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_breach_escalate_to_user_id_users_id_fk" FOREIGN KEY ("breach_escalate_to_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_in_app_idx" ON "notifications" USING btree ("user_id","seq") WHERE channel = 'in_app';