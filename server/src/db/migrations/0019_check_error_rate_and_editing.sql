ALTER TABLE "checks" ADD COLUMN "error_rate" jsonb DEFAULT '{"weight":0,"failures":0,"learned":0,"window":[],"drifting":false}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "failures_before_down" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "consecutive_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "next_run_at" timestamp with time zone;