CREATE TABLE "saved_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kpis" jsonb NOT NULL,
	"filters" jsonb NOT NULL,
	"schedule" text,
	"recipients" jsonb NOT NULL,
	"next_send_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "business_acknowledge_ms" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "business_resolve_ms" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_breached" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "saved_reports" ADD CONSTRAINT "saved_reports_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_reports_owner_name_idx" ON "saved_reports" USING btree ("owner_id","name");--> statement-breakpoint
-- Backfill (issue 16): the ticket-change pipeline keeps these from now on (core/kpis/ticket-kpi-facts.ts).
-- A ticket breached its SLA when its timeline holds an sla_breached note.
UPDATE "tickets" SET "sla_breached" = true
WHERE EXISTS (SELECT 1 FROM "timeline_events" e WHERE e."ticket_id" = "tickets"."id" AND e."type"::text = 'sla_breached');--> statement-breakpoint
-- Business hours without a calendar are round the clock: the wall-clock duration.
UPDATE "tickets" SET
  "business_acknowledge_ms" = CASE WHEN "first_response_at" IS NOT NULL
    THEN greatest(0, round(extract(epoch FROM "first_response_at" - "opened_at") * 1000))::bigint END,
  "business_resolve_ms" = CASE WHEN "resolved_at" IS NOT NULL
    THEN greatest(0, round(extract(epoch FROM "resolved_at" - "opened_at") * 1000))::bigint END
WHERE ("first_response_at" IS NOT NULL OR "resolved_at" IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM "sla_policies" p WHERE p."id" = "tickets"."sla_policy_id" AND p."calendar_id" IS NOT NULL);--> statement-breakpoint
-- With a calendar: each local day of the span, minus holidays, each working interval of its
-- weekday made an instant in the calendar's zone and intersected with the span (as
-- core/business-calendar.ts businessTimeBetween counts it).
UPDATE "tickets" SET
  "business_acknowledge_ms" = counted."ack",
  "business_resolve_ms" = counted."resolve"
FROM (
  SELECT s."id",
    round(sum(s."ms") FILTER (WHERE s."which" = 'ack'))::bigint AS "ack",
    round(sum(s."ms") FILTER (WHERE s."which" = 'resolve'))::bigint AS "resolve"
  FROM (
    SELECT t."id", x."which",
      coalesce((
        SELECT sum(greatest(0, extract(epoch FROM least(x."until", w."e") - greatest(t."opened_at", w."s")) * 1000))
        FROM (
          SELECT (d::date + make_interval(mins => (i->>'start')::int)) AT TIME ZONE c."time_zone" AS "s",
                 (d::date + make_interval(mins => (i->>'end')::int)) AT TIME ZONE c."time_zone" AS "e"
          FROM generate_series((t."opened_at" AT TIME ZONE c."time_zone")::date, (x."until" AT TIME ZONE c."time_zone")::date, interval '1 day') AS d
          CROSS JOIN LATERAL jsonb_array_elements(coalesce(
            c."week" -> (ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])[extract(isodow FROM d)::int],
            '[]'::jsonb)) AS i
          WHERE NOT (c."holidays" ? to_char(d, 'YYYY-MM-DD'))
        ) w
        WHERE x."until" > t."opened_at"
      ), 0) AS "ms"
    FROM "tickets" t
    JOIN "sla_policies" p ON p."id" = t."sla_policy_id"
    JOIN "business_calendars" c ON c."id" = p."calendar_id"
    CROSS JOIN LATERAL (VALUES ('ack', t."first_response_at"), ('resolve', t."resolved_at")) AS x("which", "until")
    WHERE x."until" IS NOT NULL
  ) s
  GROUP BY s."id"
) AS counted
WHERE counted."id" = "tickets"."id";
