ALTER TYPE "public"."resolution_code" ADD VALUE 'promoted_to_incident';--> statement-breakpoint
ALTER TYPE "public"."resolution_code" ADD VALUE 'resolved_by_monitoring';--> statement-breakpoint
ALTER TYPE "public"."ticket_kind" ADD VALUE 'disturbance';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'alert';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'promoted';--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"integration_id" uuid NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"labels" jsonb NOT NULL,
	"source_url" text,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"refire_count" integer DEFAULT 0 NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"last_payload" jsonb NOT NULL,
	"action" text NOT NULL,
	"rule_index" integer,
	"group_key" text NOT NULL,
	"ticket_id" uuid
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"user_id" uuid NOT NULL,
	"rules" jsonb NOT NULL,
	"resolve_delay_minutes" integer DEFAULT 5 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_alert_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "check_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"check_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"latency_ms" integer,
	"status_code" integer,
	"error" text,
	"z" double precision
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"service_id" uuid,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"interval_seconds" integer NOT NULL,
	"timeout_ms" integer NOT NULL,
	"expect_status" integer,
	"keyword" text,
	"max_latency_ms" integer,
	"integration_id" uuid NOT NULL,
	"baseline" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "promoted_from_id" uuid;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_results" ADD CONSTRAINT "check_results_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_integration_fingerprint_unique" ON "alerts" USING btree ("integration_id","fingerprint");--> statement-breakpoint
CREATE INDEX "alerts_group_idx" ON "alerts" USING btree ("integration_id","group_key","last_seen_at");--> statement-breakpoint
CREATE INDEX "alerts_ticket_idx" ON "alerts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "alerts_last_seen_idx" ON "alerts" USING btree ("last_seen_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_token_hash_unique" ON "integrations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "check_results_check_at_idx" ON "check_results" USING btree ("check_id","at");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_promoted_from_id_tickets_id_fk" FOREIGN KEY ("promoted_from_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;