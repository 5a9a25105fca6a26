-- The completion checklist of incidents (issue 14 #9): preventive measures, review dates and
-- ticks of manual items are recorded on the timeline.
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'preventive_measure';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'review_scheduled';--> statement-breakpoint
ALTER TYPE "public"."timeline_event_type" ADD VALUE 'checklist_item';