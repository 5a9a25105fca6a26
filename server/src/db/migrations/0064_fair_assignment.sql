CREATE TABLE "routing_decisions" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid,
	"confidence" double precision NOT NULL,
	"applied" boolean NOT NULL,
	"model_id" uuid,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "assignment_strategy" text;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "assignment_cap" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "shift_schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "working_hours_calendar_id" uuid;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "last_fair_assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_model_id_routing_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."routing_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_decisions_decided_idx" ON "routing_decisions" USING btree ("decided_at");--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_shift_schedule_id_on_call_schedules_id_fk" FOREIGN KEY ("shift_schedule_id") REFERENCES "public"."on_call_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_working_hours_calendar_id_business_calendars_id_fk" FOREIGN KEY ("working_hours_calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_last_fair_assignee_id_users_id_fk" FOREIGN KEY ("last_fair_assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;