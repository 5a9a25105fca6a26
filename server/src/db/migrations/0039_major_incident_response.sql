-- Major incidents' response (issue 14 items 4-7): the admin-defined roster of response roles
-- (seeded with the defaults below) and who holds them on which incident (the partial unique index
-- refuses a second current holder of a single-holder role), investigations and their findings,
-- tasks, meetings, and the incident's root cause. New timeline event types for each.
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'role_assigned';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'role_handed_over';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'role_released';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'investigation_opened';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'investigation_updated';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'investigation_finding';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'root_cause_recorded';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'task_added';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'task_updated';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'task_overdue';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'meeting_scheduled';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'meeting_updated';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'meeting_started';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'meeting_ended';--> statement-breakpoint
CREATE TABLE "incident_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"link" text,
	"attendee_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agenda" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"decisions" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_role_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"single_holder" boolean NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"assigned_by_id" uuid,
	"until" timestamp with time zone,
	"ended_by_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"single_holder" boolean DEFAULT true NOT NULL,
	"pages" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_roles_key_unique" UNIQUE("key"),
	CONSTRAINT "incident_roles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "incident_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"due_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by_id" uuid,
	"overdue_flagged_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "investigation_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"author_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "investigations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"hypothesis" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"helper_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"conclusion" text,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "root_cause" text;--> statement-breakpoint
ALTER TABLE "incident_meetings" ADD CONSTRAINT "incident_meetings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_meetings" ADD CONSTRAINT "incident_meetings_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_role_assignments" ADD CONSTRAINT "incident_role_assignments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_role_assignments" ADD CONSTRAINT "incident_role_assignments_role_id_incident_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."incident_roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_role_assignments" ADD CONSTRAINT "incident_role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_role_assignments" ADD CONSTRAINT "incident_role_assignments_assigned_by_id_users_id_fk" FOREIGN KEY ("assigned_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_role_assignments" ADD CONSTRAINT "incident_role_assignments_ended_by_id_users_id_fk" FOREIGN KEY ("ended_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_done_by_id_users_id_fk" FOREIGN KEY ("done_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_findings" ADD CONSTRAINT "investigation_findings_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_findings" ADD CONSTRAINT "investigation_findings_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_meetings_ticket_idx" ON "incident_meetings" USING btree ("ticket_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_role_single_holder_idx" ON "incident_role_assignments" USING btree ("ticket_id","role_id") WHERE "incident_role_assignments"."until" IS NULL AND "incident_role_assignments"."single_holder";--> statement-breakpoint
CREATE UNIQUE INDEX "incident_role_holder_idx" ON "incident_role_assignments" USING btree ("ticket_id","role_id","user_id") WHERE "incident_role_assignments"."until" IS NULL;--> statement-breakpoint
CREATE INDEX "incident_role_person_idx" ON "incident_role_assignments" USING btree ("user_id") WHERE "incident_role_assignments"."until" IS NULL;--> statement-breakpoint
CREATE INDEX "incident_role_ticket_idx" ON "incident_role_assignments" USING btree ("ticket_id","since");--> statement-breakpoint
CREATE INDEX "incident_tasks_ticket_idx" ON "incident_tasks" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "investigation_findings_idx" ON "investigation_findings" USING btree ("investigation_id","at");--> statement-breakpoint
CREATE INDEX "investigations_ticket_idx" ON "investigations" USING btree ("ticket_id","created_at");--> statement-breakpoint
INSERT INTO "incident_roles" ("key", "name", "description", "checklist", "single_holder", "pages", "position", "created_at", "updated_at") VALUES
  ('incident_manager', 'Incident manager', 'Leads the response: sets priorities, hands out roles and work, decides.', '["Confirm the roster is staffed", "Set the next update time", "Keep the decision log"]'::jsonb, true, true, 1, now(), now()),
  ('technical_manager', 'Technical manager', 'Owns a global incident: the action plan, escalation to management, resolution meetings.', '["Agree the action plan", "Escalate to management when needed", "Chair the resolution meeting"]'::jsonb, true, true, 2, now(), now()),
  ('communications_manager', 'Communications manager', 'Keeps stakeholders and affected customers informed.', '["Send the first update", "Keep the update cadence", "Send the final update"]'::jsonb, true, false, 3, now(), now()),
  ('operations_manager', 'Operations manager', 'Carries out the fix: hands out tasks and follows them to done.', '["Hand out tasks with owners and due times", "Follow overdue tasks", "Confirm service is restored"]'::jsonb, true, false, 4, now(), now()),
  ('subject_matter_expert', 'Subject-matter expert', 'Knows the affected system; investigates and advises on the fix.', '["Open or join an investigation", "Record findings as you go"]'::jsonb, false, false, 5, now(), now()),
  ('scribe', 'Scribe', 'Keeps the record: timeline, decisions and meeting notes.', '["Note decisions as they are made", "Write the meeting notes"]'::jsonb, true, false, 6, now(), now());
