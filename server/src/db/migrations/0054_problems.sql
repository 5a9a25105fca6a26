ALTER TYPE "public"."ticket_kind" ADD VALUE 'problem';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'problem_linked';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'known_error_changed';--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "problem_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "problem_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "workaround" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "known_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_problem_id_tickets_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_problem_idx" ON "tickets" USING btree ("problem_id") WHERE "tickets"."problem_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_known_error_idx" ON "tickets" USING btree ("service_id","category_id") WHERE "tickets"."known_error_at" IS NOT NULL;--> statement-breakpoint
-- Problems are numbered PRB0000001 from their own sequence, like disturbances (see 0018).
CREATE SEQUENCE ticket_number_problem;
