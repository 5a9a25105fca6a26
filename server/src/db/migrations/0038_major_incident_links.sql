-- Major incidents, links (issue 14): scope/ownership, children, merge and Me too need new timeline
-- event types, the survivor of a merged duplicate, the affected people of an incident and their count
-- (kept on the ticket so every read of a ticket has it without a join).
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'scope_changed';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'major_declared';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'children_changed';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'merged';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'affected_added';--> statement-breakpoint
CREATE TABLE "ticket_affected_people" (
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"via" text NOT NULL,
	"source_ticket_id" uuid,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_affected_people_ticket_id_user_id_pk" PRIMARY KEY("ticket_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "affected_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_affected_people" ADD CONSTRAINT "ticket_affected_people_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_affected_people" ADD CONSTRAINT "ticket_affected_people_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_affected_people" ADD CONSTRAINT "ticket_affected_people_source_ticket_id_tickets_id_fk" FOREIGN KEY ("source_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_merged_into_id_tickets_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;