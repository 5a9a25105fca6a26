ALTER TYPE "public"."ticket_kind" ADD VALUE 'change';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'change_stage_changed';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'change_decided';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'change_linked';--> statement-breakpoint
CREATE TABLE "change_approvals" (
	"change_id" uuid NOT NULL,
	"approver_id" uuid NOT NULL,
	"named" boolean DEFAULT true NOT NULL,
	"decision" text,
	"comment" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "change_approvals_change_id_approver_id_pk" PRIMARY KEY("change_id","approver_id")
);
--> statement-breakpoint
CREATE TABLE "change_links" (
	"change_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "change_links_change_id_ticket_id_pk" PRIMARY KEY("change_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"risk" text NOT NULL,
	"planned_start" timestamp with time zone NOT NULL,
	"planned_end" timestamp with time zone NOT NULL,
	"implementation_plan" text DEFAULT '' NOT NULL,
	"test_plan" text DEFAULT '' NOT NULL,
	"backout_plan" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"outcome" text,
	"maintenance_id" uuid,
	CONSTRAINT "changes_window_ordered" CHECK ("changes"."planned_end" > "changes"."planned_start")
);
--> statement-breakpoint
ALTER TABLE "change_approvals" ADD CONSTRAINT "change_approvals_change_id_changes_ticket_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("ticket_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_approvals" ADD CONSTRAINT "change_approvals_approver_id_users_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_links" ADD CONSTRAINT "change_links_change_id_changes_ticket_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("ticket_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_links" ADD CONSTRAINT "change_links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_maintenance_id_maintenance_windows_id_fk" FOREIGN KEY ("maintenance_id") REFERENCES "public"."maintenance_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "change_links_ticket_idx" ON "change_links" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "changes_window_idx" ON "changes" USING btree ("planned_start","planned_end");--> statement-breakpoint
-- Changes are numbered CHG0000001 from their own sequence, like problems (see 0054).
CREATE SEQUENCE ticket_number_change;
