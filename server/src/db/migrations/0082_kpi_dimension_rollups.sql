-- Small rollups for the reports that do not filter by team (issue 16, the dashboard at a million
-- tickets, p95 < 200 ms): the whole desk, one service, one category, each by priority and kind
-- (schema/kpi-rollups.ts). Before them a manager's dashboard of the whole desk read every team's
-- rows (kpi_daily_team_rollups, the quarter-hour totals and duration histograms by team: 8× the
-- rows), and one of a service or a category read the rollups by every dimension at once (0058,
-- 0062: about a row per ticket at a million tickets) or, for a day series in a zone whose days are
-- not UTC days, every ticket of the period. A ticket counts once under the desk, once under its
-- service and once under each of its category and subcategory (once when they are the same), the
-- slices a report's filter selects (kpis.repository.ts's filterSql).
-- Kept under migration 0074's contract: the insert trigger returns at once when
-- kpi_rollups_deferred(); the update, delete and rating triggers skip tickets listed in
-- kpi_pending_tickets; kpi_rollups_add_tickets adds the tickets here too. The definitions are
-- those of 0058, 0062 and 0071 with the slice in place of the team; the rows equal the rollups by
-- every dimension summed per slice (kpi-dimension-rollups.db.test.ts). And an index by team on the
-- daily rollups and histograms by team, for the reports that do filter by team.
CREATE TYPE "public"."kpi_dimension" AS ENUM('desk', 'service', 'category');--> statement-breakpoint
CREATE TABLE "kpi_daily_dimension_quarter_rollups" (
	"dimension" "kpi_dimension" NOT NULL,
	"dimension_id" uuid,
	"day" date NOT NULL,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"created_running" integer[] NOT NULL,
	"resolved_running" integer[] NOT NULL,
	CONSTRAINT "kpi_daily_dimension_quarter_rollups_key" UNIQUE NULLS NOT DISTINCT("dimension","dimension_id","day","priority","kind")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_dimension_rollups" (
	"dimension" "kpi_dimension" NOT NULL,
	"dimension_id" uuid,
	"day" date NOT NULL,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"open_new" integer DEFAULT 0 NOT NULL,
	"open_assigned" integer DEFAULT 0 NOT NULL,
	"open_in_progress" integer DEFAULT 0 NOT NULL,
	"open_on_hold" integer DEFAULT 0 NOT NULL,
	"acknowledged" integer DEFAULT 0 NOT NULL,
	"acknowledge_ms" numeric DEFAULT '0' NOT NULL,
	"business_acknowledged" integer DEFAULT 0 NOT NULL,
	"business_acknowledge_ms" numeric DEFAULT '0' NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"resolve_ms" numeric DEFAULT '0' NOT NULL,
	"business_resolved" integer DEFAULT 0 NOT NULL,
	"business_resolve_ms" numeric DEFAULT '0' NOT NULL,
	"first_contact" integer DEFAULT 0 NOT NULL,
	"reassigned" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"sla_met" integer DEFAULT 0 NOT NULL,
	"sla_breached" integer DEFAULT 0 NOT NULL,
	"rated_1" integer DEFAULT 0 NOT NULL,
	"rated_2" integer DEFAULT 0 NOT NULL,
	"rated_3" integer DEFAULT 0 NOT NULL,
	"rated_4" integer DEFAULT 0 NOT NULL,
	"rated_5" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_dimension_rollups_key" UNIQUE NULLS NOT DISTINCT("dimension","dimension_id","day","priority","kind")
);
--> statement-breakpoint
CREATE TABLE "kpi_monthly_dimension_duration_buckets" (
	"dimension" "kpi_dimension" NOT NULL,
	"dimension_id" uuid,
	"month" date NOT NULL,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"duration" "kpi_duration" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"total_ms" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "kpi_monthly_dimension_duration_buckets_key" UNIQUE NULLS NOT DISTINCT("dimension","dimension_id","duration","month","priority","kind","bucket")
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_dimension_rollups_open_idx" ON "kpi_daily_dimension_rollups" USING btree ("dimension","dimension_id","day") WHERE ("kpi_daily_dimension_rollups"."open_new" + "kpi_daily_dimension_rollups"."open_assigned" + "kpi_daily_dimension_rollups"."open_in_progress" + "kpi_daily_dimension_rollups"."open_on_hold") > 0;--> statement-breakpoint
-- A team's rows of the period in the rollups by team (the bench's one-team dashboard read every
-- team's year: a sequential scan of the daily rows, and of the histograms, per request).
CREATE INDEX "kpi_daily_team_rollups_team_day_idx" ON "kpi_daily_team_rollups" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "kpi_monthly_team_duration_buckets_team_idx" ON "kpi_monthly_team_duration_buckets" USING btree ("team_id","duration","month");--> statement-breakpoint
-- Tickets counted (sign 1) or taken away (sign -1) in the three tables, one grouped upsert each;
-- groups that sum to nothing are skipped (as 0070's). PL/pgSQL so each statement is planned once
-- per connection (0078).
CREATE FUNCTION kpi_dimension_rollup_tickets(signs integer[], ts tickets[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_daily_dimension_rollups AS k (dimension, dimension_id, day, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  SELECT d.dimension, d.dimension_id, c.day, c.priority, c.kind, sum(c.created), sum(c.open_new), sum(c.open_assigned), sum(c.open_in_progress), sum(c.open_on_hold), sum(c.acknowledged), sum(c.acknowledge_ms), sum(c.business_acknowledged), sum(c.business_acknowledge_ms), sum(c.resolved), sum(c.resolve_ms), sum(c.business_resolved), sum(c.business_resolve_ms), sum(c.first_contact), sum(c.reassigned), sum(c.reopened), sum(c.sla_met), sum(c.sla_breached), sum(c.rated_1), sum(c.rated_2), sum(c.rated_3), sum(c.rated_4), sum(c.rated_5) FROM (
    SELECT t.service_id, t.category_id, t.subcategory_id, (t.opened_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, t.sign, t.sign * (t.state = 'new')::int, t.sign * (t.state = 'assigned')::int, t.sign * (t.state = 'in_progress')::int, t.sign * (t.state = 'on_hold')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign)
    UNION ALL
    SELECT t.service_id, t.category_id, t.subcategory_id, (t.first_response_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), t.sign * (t.business_acknowledge_ms IS NOT NULL)::int, t.sign * coalesce(t.business_acknowledge_ms, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT t.service_id, t.category_id, t.subcategory_id, (t.resolved_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), t.sign * (t.business_resolve_ms IS NOT NULL)::int, t.sign * coalesce(t.business_resolve_ms, 0), t.sign * (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, t.sign * (t.reassignment_count > 0)::int, t.sign * (t.reopen_count > 0)::int, t.sign * (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, t.sign * (t.sla_breached)::int, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT t.service_id, t.category_id, t.subcategory_id, (r.answered_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign * (r.rating = 1)::int, t.sign * (r.rating = 2)::int, t.sign * (r.rating = 3)::int, t.sign * (r.rating = 4)::int, t.sign * (r.rating = 5)::int
      FROM unnest(signs, ts) AS t(sign) JOIN satisfaction_ratings r ON r.ticket_id = t.id
  ) c (service_id, category_id, subcategory_id, day, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', c.service_id), ('category', c.category_id),
      ('category', CASE WHEN c.subcategory_id IS DISTINCT FROM c.category_id THEN c.subcategory_id END)) d (dimension, dimension_id)
    WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
  GROUP BY d.dimension, d.dimension_id, c.day, c.priority, c.kind
  HAVING NOT (sum(c.created) = 0 AND sum(c.open_new) = 0 AND sum(c.open_assigned) = 0 AND sum(c.open_in_progress) = 0 AND sum(c.open_on_hold) = 0 AND sum(c.acknowledged) = 0 AND sum(c.acknowledge_ms) = 0 AND sum(c.business_acknowledged) = 0 AND sum(c.business_acknowledge_ms) = 0 AND sum(c.resolved) = 0 AND sum(c.resolve_ms) = 0 AND sum(c.business_resolved) = 0 AND sum(c.business_resolve_ms) = 0 AND sum(c.first_contact) = 0 AND sum(c.reassigned) = 0 AND sum(c.reopened) = 0 AND sum(c.sla_met) = 0 AND sum(c.sla_breached) = 0 AND sum(c.rated_1) = 0 AND sum(c.rated_2) = 0 AND sum(c.rated_3) = 0 AND sum(c.rated_4) = 0 AND sum(c.rated_5) = 0)
  ON CONFLICT ON CONSTRAINT kpi_daily_dimension_rollups_key DO UPDATE SET created = k.created + excluded.created, open_new = k.open_new + excluded.open_new, open_assigned = k.open_assigned + excluded.open_assigned, open_in_progress = k.open_in_progress + excluded.open_in_progress, open_on_hold = k.open_on_hold + excluded.open_on_hold, acknowledged = k.acknowledged + excluded.acknowledged, acknowledge_ms = k.acknowledge_ms + excluded.acknowledge_ms, business_acknowledged = k.business_acknowledged + excluded.business_acknowledged, business_acknowledge_ms = k.business_acknowledge_ms + excluded.business_acknowledge_ms, resolved = k.resolved + excluded.resolved, resolve_ms = k.resolve_ms + excluded.resolve_ms, business_resolved = k.business_resolved + excluded.business_resolved, business_resolve_ms = k.business_resolve_ms + excluded.business_resolve_ms, first_contact = k.first_contact + excluded.first_contact, reassigned = k.reassigned + excluded.reassigned, reopened = k.reopened + excluded.reopened, sla_met = k.sla_met + excluded.sla_met, sla_breached = k.sla_breached + excluded.sla_breached, rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
  INSERT INTO kpi_monthly_dimension_duration_buckets AS k (dimension, dimension_id, duration, month, priority, kind, bucket, count, total_ms)
  SELECT d.dimension, d.dimension_id, c.duration, date_trunc('month', c.ended AT TIME ZONE 'UTC')::date, c.priority, c.kind, kpi_duration_bucket(c.ms), sum(c.sign), sum(c.sign * c.ms::numeric) FROM (
    SELECT t.sign, t.service_id, t.category_id, t.subcategory_id, t.first_response_at, 'acknowledge'::kpi_duration, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.service_id, t.category_id, t.subcategory_id, t.first_response_at, 'business_acknowledge', t.priority, t.kind, t.business_acknowledge_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
    UNION ALL
    SELECT t.sign, t.service_id, t.category_id, t.subcategory_id, t.resolved_at, 'resolve', t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.service_id, t.category_id, t.subcategory_id, t.resolved_at, 'business_resolve', t.priority, t.kind, t.business_resolve_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
  ) c (sign, service_id, category_id, subcategory_id, ended, duration, priority, kind, ms)
  CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', c.service_id), ('category', c.category_id),
      ('category', CASE WHEN c.subcategory_id IS DISTINCT FROM c.category_id THEN c.subcategory_id END)) d (dimension, dimension_id)
    WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
  GROUP BY d.dimension, d.dimension_id, c.duration, 4, c.priority, c.kind, kpi_duration_bucket(c.ms)
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.ms::numeric) <> 0
  ON CONFLICT ON CONSTRAINT kpi_monthly_dimension_duration_buckets_key DO UPDATE SET count = k.count + excluded.count, total_ms = k.total_ms + excluded.total_ms;
  INSERT INTO kpi_daily_dimension_quarter_rollups AS k (dimension, dimension_id, day, priority, kind, created_running, resolved_running)
  SELECT q.dimension, q.dimension_id, q.day, q.priority, q.kind, kpi_running_counts(array_agg(q.quarter), array_agg(q.created)),
         kpi_running_counts(array_agg(q.quarter), array_agg(q.resolved))
  FROM (
    SELECT d.dimension, d.dimension_id, c.day, c.priority, c.kind, c.quarter, sum(c.created)::int AS created, sum(c.resolved)::int AS resolved FROM (
      SELECT t.service_id, t.category_id, t.subcategory_id, (t.opened_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, kpi_quarter_of_day(t.opened_at), t.sign, 0
        FROM unnest(signs, ts) AS t(sign)
      UNION ALL
      SELECT t.service_id, t.category_id, t.subcategory_id, (t.resolved_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, kpi_quarter_of_day(t.resolved_at), 0, t.sign
        FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    ) c (service_id, category_id, subcategory_id, day, priority, kind, quarter, created, resolved)
    CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', c.service_id), ('category', c.category_id),
      ('category', CASE WHEN c.subcategory_id IS DISTINCT FROM c.category_id THEN c.subcategory_id END)) d (dimension, dimension_id)
    WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
    GROUP BY d.dimension, d.dimension_id, c.day, c.priority, c.kind, c.quarter
    -- A change that moved nothing these totals count (most changes: the counters, the SLA flag) writes nothing.
    HAVING sum(c.created) <> 0 OR sum(c.resolved) <> 0
  ) q
  GROUP BY q.dimension, q.dimension_id, q.day, q.priority, q.kind
  ON CONFLICT ON CONSTRAINT kpi_daily_dimension_quarter_rollups_key DO UPDATE
    SET created_running = kpi_add_running(k.created_running, excluded.created_running),
        resolved_running = kpi_add_running(k.resolved_running, excluded.resolved_running);
END $$;--> statement-breakpoint
-- A rating counted or taken away on the day it was given, under its ticket's slices.
CREATE FUNCTION kpi_dimension_rollup_rating(t tickets, given smallint, given_at timestamptz, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_daily_dimension_rollups AS k (dimension, dimension_id, day, priority, kind, rated_1, rated_2, rated_3, rated_4, rated_5)
  SELECT d.dimension, d.dimension_id, (given_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, sign * (given = 1)::int, sign * (given = 2)::int, sign * (given = 3)::int, sign * (given = 4)::int, sign * (given = 5)::int
    FROM (SELECT t.service_id, t.category_id, t.subcategory_id) c
    CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', c.service_id), ('category', c.category_id),
      ('category', CASE WHEN c.subcategory_id IS DISTINCT FROM c.category_id THEN c.subcategory_id END)) d (dimension, dimension_id)
    WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
  ON CONFLICT ON CONSTRAINT kpi_daily_dimension_rollups_key DO UPDATE SET rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
END $$;--> statement-breakpoint
CREATE FUNCTION kpi_dimension_rollups_on_tickets_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  IF kpi_rollups_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(n), array_agg(1) INTO ts, signs FROM inserted n;
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_dimension_rollup_tickets(signs, ts);
  RETURN NULL;
END $$;--> statement-breakpoint
-- Only the tickets whose KPI columns changed and that are not listed, each taken away as it was and
-- counted as it is.
CREATE FUNCTION kpi_dimension_rollups_on_tickets_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  WITH changed AS (
    SELECT o, n FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.opened_at, o.first_response_at, o.resolved_at, o.state, o.team_id, o.service_id, o.category_id, o.subcategory_id, o.priority, o.kind, o.business_acknowledge_ms, o.business_resolve_ms, o.reassignment_count, o.reopen_count, o.staff_reply_count, o.sla_policy_id, o.sla_breached)
        IS DISTINCT FROM (n.opened_at, n.first_response_at, n.resolved_at, n.state, n.team_id, n.service_id, n.category_id, n.subcategory_id, n.priority, n.kind, n.business_acknowledge_ms, n.business_resolve_ms, n.reassignment_count, n.reopen_count, n.staff_reply_count, n.sla_policy_id, n.sla_breached)
        AND NOT EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = n.id)
  )
  SELECT array_agg(c.t), array_agg(c.sign) INTO ts, signs
    FROM (SELECT o, -1 FROM changed UNION ALL SELECT n, 1 FROM changed) c (t, sign);
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_dimension_rollup_tickets(signs, ts);
  RETURN NULL;
END $$;--> statement-breakpoint
-- Deletes row by row, as 0070's: the ticket's ratings, which its contribution includes, are read
-- while the row trigger runs.
CREATE FUNCTION kpi_dimension_rollups_on_ticket_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = OLD.id) THEN RETURN NULL; END IF;
  PERFORM kpi_dimension_rollup_tickets(ARRAY[-1], ARRAY[OLD]::tickets[]);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION kpi_dimension_rollups_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t tickets;
BEGIN
  IF EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = coalesce(NEW.ticket_id, OLD.ticket_id)) THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT * INTO t FROM tickets WHERE id = OLD.ticket_id;
    PERFORM kpi_dimension_rollup_rating(t, OLD.rating, OLD.answered_at, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT * INTO t FROM tickets WHERE id = NEW.ticket_id;
    PERFORM kpi_dimension_rollup_rating(t, NEW.rating, NEW.answered_at, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER kpi_dimension_rollups_on_tickets_inserted AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION kpi_dimension_rollups_on_tickets_inserted();--> statement-breakpoint
CREATE TRIGGER kpi_dimension_rollups_on_tickets_updated AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dimension_rollups_on_tickets_updated();--> statement-breakpoint
CREATE TRIGGER kpi_dimension_rollups_on_ticket_delete AFTER DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION kpi_dimension_rollups_on_ticket_delete();--> statement-breakpoint
CREATE TRIGGER kpi_dimension_rollups_on_rating AFTER INSERT OR UPDATE OR DELETE ON satisfaction_ratings
  FOR EACH ROW EXECUTE FUNCTION kpi_dimension_rollups_on_rating();--> statement-breakpoint
-- The contract's one place (0074): a drained import's tickets are added here too.
CREATE OR REPLACE FUNCTION kpi_rollups_add_tickets(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  SELECT array_agg(t), array_agg(1) INTO ts, signs FROM tickets t WHERE t.id = ANY(ids);
  IF ts IS NULL THEN RETURN; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  PERFORM kpi_rollup_ticket_durations(signs, ts);
  PERFORM kpi_quarter_rollups_apply(array_agg(t.opened_at), array_agg(t.resolved_at), array_agg(t.state), array_agg(t.team_id),
    array_agg(t.priority), array_agg(t.kind), array_agg(1)) FROM unnest(ts) t;
  PERFORM kpi_dimension_rollup_tickets(signs, ts);
END $$;--> statement-breakpoint
-- Backfill (bench/kpis.ts times it): the daily rows and histograms are the rollups by every
-- dimension summed per slice (cheaper than the tickets, and they already leave out the tickets an
-- import listed and has not drained); the quarter-hour totals from the tickets, as 0071's. Written
-- in key order, so a slice's rows of a year lie on a few pages.
INSERT INTO kpi_daily_dimension_rollups (dimension, dimension_id, day, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
SELECT d.dimension, d.dimension_id, r.day, r.priority, r.kind, sum(r.created), sum(r.open_new), sum(r.open_assigned), sum(r.open_in_progress), sum(r.open_on_hold), sum(r.acknowledged), sum(r.acknowledge_ms), sum(r.business_acknowledged), sum(r.business_acknowledge_ms), sum(r.resolved), sum(r.resolve_ms), sum(r.business_resolved), sum(r.business_resolve_ms), sum(r.first_contact), sum(r.reassigned), sum(r.reopened), sum(r.sla_met), sum(r.sla_breached), sum(r.rated_1), sum(r.rated_2), sum(r.rated_3), sum(r.rated_4), sum(r.rated_5)
  FROM kpi_daily_rollups r
  CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', r.service_id), ('category', r.category_id),
    ('category', CASE WHEN r.subcategory_id IS DISTINCT FROM r.category_id THEN r.subcategory_id END)) d (dimension, dimension_id)
  WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
  GROUP BY d.dimension, d.dimension_id, r.day, r.priority, r.kind
  ORDER BY d.dimension, d.dimension_id, r.day;--> statement-breakpoint
INSERT INTO kpi_monthly_dimension_duration_buckets (dimension, dimension_id, duration, month, priority, kind, bucket, count, total_ms)
SELECT d.dimension, d.dimension_id, r.duration, r.month, r.priority, r.kind, r.bucket, sum(r.count), sum(r.total_ms)
  FROM kpi_monthly_duration_buckets r
  CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', r.service_id), ('category', r.category_id),
    ('category', CASE WHEN r.subcategory_id IS DISTINCT FROM r.category_id THEN r.subcategory_id END)) d (dimension, dimension_id)
  WHERE d.dimension = 'desk' OR d.dimension_id IS NOT NULL
  GROUP BY d.dimension, d.dimension_id, r.duration, r.month, r.priority, r.kind, r.bucket
  ORDER BY d.dimension, d.dimension_id, r.duration, r.month;--> statement-breakpoint
INSERT INTO kpi_daily_dimension_quarter_rollups (dimension, dimension_id, day, priority, kind, created_running, resolved_running)
SELECT q.dimension, q.dimension_id, q.day, q.priority, q.kind, kpi_running_counts(array_agg(q.quarter), array_agg(q.created)),
       kpi_running_counts(array_agg(q.quarter), array_agg(q.resolved))
FROM (
  SELECT d.dimension, d.dimension_id, c.day, c.priority, c.kind, c.quarter, sum(c.created)::int AS created, sum(c.resolved)::int AS resolved FROM (
    SELECT t.id, t.service_id, t.category_id, t.subcategory_id, (t.opened_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, kpi_quarter_of_day(t.opened_at), 1, 0
      FROM tickets t
    UNION ALL
    SELECT t.id, t.service_id, t.category_id, t.subcategory_id, (t.resolved_at AT TIME ZONE 'UTC')::date, t.priority, t.kind, kpi_quarter_of_day(t.resolved_at), 0, 1
      FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  ) c (id, service_id, category_id, subcategory_id, day, priority, kind, quarter, created, resolved)
  CROSS JOIN LATERAL (VALUES ('desk'::kpi_dimension, NULL::uuid), ('service', c.service_id), ('category', c.category_id),
    ('category', CASE WHEN c.subcategory_id IS DISTINCT FROM c.category_id THEN c.subcategory_id END)) d (dimension, dimension_id)
  -- Tickets an import listed and no rollup counts yet (migration 0074) are left for the drain, which adds them here too.
  WHERE (d.dimension = 'desk' OR d.dimension_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = c.id)
  GROUP BY d.dimension, d.dimension_id, c.day, c.priority, c.kind, c.quarter
) q
GROUP BY q.dimension, q.dimension_id, q.day, q.priority, q.kind
ORDER BY q.dimension, q.dimension_id, q.day;--> statement-breakpoint
-- The planner's statistics of the new tables now, not when autovacuum comes by: without them it
-- guessed one row per slice and read a year's histograms without their duration in the index.
ANALYZE kpi_daily_dimension_rollups, kpi_monthly_dimension_duration_buckets, kpi_daily_dimension_quarter_rollups;
