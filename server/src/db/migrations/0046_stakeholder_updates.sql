ALTER TYPE "public"."timeline_event_type" ADD VALUE 'stakeholder_update';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'update_due';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'update_overdue';--> statement-breakpoint
CREATE TABLE "incident_update_cadences" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"cadence_since" timestamp with time zone NOT NULL,
	"last_update_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"reminded_for" timestamp with time zone,
	"overdue_for" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stakeholder_audiences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"team_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"service_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stakeholder_audiences_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "incident_update_cadences" ADD CONSTRAINT "incident_update_cadences_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_update_cadences_due_idx" ON "incident_update_cadences" USING btree ("next_due_at");