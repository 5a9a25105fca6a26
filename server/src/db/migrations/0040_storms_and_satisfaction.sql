-- Storm detection and satisfaction (issue 14, items 2 and 10): proposals the desk is asked to
-- decide on, the per-service "declare by policy" switch, an index for counting a service's reports
-- in a sliding window, and requesters' ratings of a closed ticket (1–5, checked here too).
CREATE TABLE "satisfaction_ratings" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "satisfaction_rating_range" CHECK ("satisfaction_ratings"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "storm_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_key" text NOT NULL,
	"service_id" uuid,
	"status" text NOT NULL,
	"report_count" integer NOT NULL,
	"alert_count" integer NOT NULL,
	"wider_scope" boolean DEFAULT false NOT NULL,
	"sample_title" text NOT NULL,
	"ticket_ids" jsonb NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"crossed_at" timestamp with time zone NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_id" uuid,
	"dismiss_reason" text,
	"incident_id" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "declare_by_policy" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_proposals" ADD CONSTRAINT "storm_proposals_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_proposals" ADD CONSTRAINT "storm_proposals_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_proposals" ADD CONSTRAINT "storm_proposals_incident_id_tickets_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "satisfaction_ratings_answered_idx" ON "satisfaction_ratings" USING btree ("answered_at","ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "storm_proposals_open_cluster_unique" ON "storm_proposals" USING btree ("cluster_key") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "storm_proposals_cluster_decided_idx" ON "storm_proposals" USING btree ("cluster_key","decided_at");--> statement-breakpoint
CREATE INDEX "storm_proposals_raised_idx" ON "storm_proposals" USING btree ("raised_at","id");--> statement-breakpoint
CREATE INDEX "tickets_service_opened_idx" ON "tickets" USING btree ("service_id","opened_at");