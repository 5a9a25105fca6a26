ALTER TYPE "public"."timeline_event_type" ADD VALUE 'escalated';--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "escalation_level" smallint DEFAULT 0 NOT NULL;