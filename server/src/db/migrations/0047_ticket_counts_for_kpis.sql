-- The counters KPIs read from the ticket row (issue 16), kept by the ticket-change pipeline
-- (core/ticket-counts.ts): reopenings, ServiceNow's reopen_count, and the public replies staff
-- wrote, which first-contact resolution allows at most one of.
ALTER TABLE "tickets" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "staff_reply_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Reports read the tickets resolved, first answered, or declared major in a period.
CREATE INDEX "tickets_resolved_idx" ON "tickets" USING btree ("resolved_at") WHERE "tickets"."resolved_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_first_response_idx" ON "tickets" USING btree ("first_response_at") WHERE "tickets"."first_response_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_major_since_idx" ON "tickets" USING btree ("major_since") WHERE "tickets"."major_since" IS NOT NULL;--> statement-breakpoint
-- Backfilled from the timelines by the same rules: a state change from resolved or closed into an
-- open state is a reopening; a public comment whose author is staff (by today's role) is a staff
-- reply. Types compared as text, as in 0036 (one transaction on a fresh PostgreSQL).
UPDATE "tickets" SET "reopen_count" = counted.n
FROM (
  SELECT e."ticket_id", count(*)::integer AS n
  FROM "timeline_events" e
  WHERE e."type"::text = 'state_changed'
    AND e."changes" IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(e."changes") AS c
      WHERE c->>'field' = 'state'
        AND c->>'from' IN ('resolved', 'closed')
        AND c->>'to' IN ('new', 'assigned', 'in_progress', 'on_hold')
    )
  GROUP BY e."ticket_id"
) AS counted
WHERE counted."ticket_id" = "tickets"."id";--> statement-breakpoint
UPDATE "tickets" SET "staff_reply_count" = counted.n
FROM (
  SELECT e."ticket_id", count(*)::integer AS n
  FROM "timeline_events" e
  JOIN "users" u ON u."id" = e."actor_id"
  WHERE e."type"::text = 'comment' AND NOT e."internal" AND u."role"::text IN ('agent', 'manager', 'admin')
  GROUP BY e."ticket_id"
) AS counted
WHERE counted."ticket_id" = "tickets"."id";
