-- Which services requesters see (issue 12): every existing service stays offered; admins hide
-- the infrastructure components requesters should not be asked to choose.
ALTER TABLE "services" ADD COLUMN "visible_to_requesters" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- The reassignment count for KPIs (issue 12 #6), ServiceNow's reassignment_count: a change of
-- team, or of assignee away from someone, after the first assignment; one per change.
ALTER TABLE "tickets" ADD COLUMN "reassignment_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfilled from the timeline by the same rule (core/reassignment.ts): an assignment or a
-- functional escalation whose changes move the team or the assignee away from a previous value.
-- A first assignment (from nobody) is not counted. The type is compared as text: on a fresh
-- PostgreSQL all migrations share one transaction, where an enum value added by an earlier one
-- cannot be used as a literal yet.
UPDATE "tickets" SET "reassignment_count" = counted.n
FROM (
  SELECT e."ticket_id", count(*)::integer AS n
  FROM "timeline_events" e
  WHERE e."type"::text IN ('assigned', 'escalated')
    AND e."changes" IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(e."changes") AS c
      WHERE c->>'field' IN ('teamId', 'assigneeId')
        AND c->>'from' IS NOT NULL
        AND (c->>'to' IS NULL OR c->>'to' <> c->>'from')
    )
  GROUP BY e."ticket_id"
) AS counted
WHERE counted."ticket_id" = "tickets"."id";
