ALTER TYPE "public"."timeline_event_type" ADD VALUE 'page_held' BEFORE 'alert';--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "page_held_since" timestamp with time zone;