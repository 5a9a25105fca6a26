CREATE TABLE "kpi_daily_rollups" (
	"day" date NOT NULL,
	"team_id" uuid,
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
	"service_id" uuid,
	"category_id" uuid,
	"subcategory_id" uuid,
	CONSTRAINT "kpi_daily_rollups_key" UNIQUE NULLS NOT DISTINCT("day","team_id","service_id","category_id","subcategory_id","priority","kind")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_team_rollups" (
	"day" date NOT NULL,
	"team_id" uuid,
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
	CONSTRAINT "kpi_daily_team_rollups_key" UNIQUE NULLS NOT DISTINCT("day","team_id","priority","kind")
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_rollups_team_day_idx" ON "kpi_daily_rollups" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_rollups_open_idx" ON "kpi_daily_rollups" USING btree ("day") WHERE ("kpi_daily_rollups"."open_new" + "kpi_daily_rollups"."open_assigned" + "kpi_daily_rollups"."open_in_progress" + "kpi_daily_rollups"."open_on_hold") > 0;--> statement-breakpoint
CREATE INDEX "kpi_daily_team_rollups_open_idx" ON "kpi_daily_team_rollups" USING btree ("day") WHERE ("kpi_daily_team_rollups"."open_new" + "kpi_daily_team_rollups"."open_assigned" + "kpi_daily_team_rollups"."open_in_progress" + "kpi_daily_team_rollups"."open_on_hold") > 0;--> statement-breakpoint
-- Covering indexes for the medians (issue 16): a median cannot be added up from daily rollups, so time
-- to acknowledge and to resolve stay per ticket; with every column they read in the index, the
-- period's tickets are read by an index-only scan, without visiting the table.
CREATE INDEX "tickets_resolved_kpi_idx" ON "tickets" USING btree ("resolved_at") INCLUDE ("opened_at", "business_resolve_ms", "state", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "resolved_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_first_response_kpi_idx" ON "tickets" USING btree ("first_response_at") INCLUDE ("opened_at", "business_acknowledge_ms", "team_id", "service_id", "category_id", "subcategory_id", "priority", "kind") WHERE "first_response_at" IS NOT NULL;--> statement-breakpoint
-- A rating counted (sign 1) or taken away (sign -1) on the day it was given, under its ticket's
-- dimensions, in both rollups.
CREATE FUNCTION kpi_rollup_rating(t tickets, given smallint, given_at timestamptz, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_daily_team_rollups AS k (day, team_id, priority, kind, rated_1, rated_2, rated_3, rated_4, rated_5)
    VALUES ((given_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, sign * (given = 1)::int, sign * (given = 2)::int, sign * (given = 3)::int, sign * (given = 4)::int, sign * (given = 5)::int)
    ON CONFLICT ON CONSTRAINT kpi_daily_team_rollups_key DO UPDATE SET rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
  INSERT INTO kpi_daily_rollups AS k (day, team_id, service_id, category_id, subcategory_id, priority, kind, rated_1, rated_2, rated_3, rated_4, rated_5)
    VALUES ((given_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, sign * (given = 1)::int, sign * (given = 2)::int, sign * (given = 3)::int, sign * (given = 4)::int, sign * (given = 5)::int)
    ON CONFLICT ON CONSTRAINT kpi_daily_rollups_key DO UPDATE SET rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
END $$;--> statement-breakpoint
-- A ticket's whole contribution counted (sign 1) or taken away (sign -1), in both rollups: the rows
-- of the days it was opened, first answered and resolved, and its rating. The definitions are
-- kpis.repository.ts's per-ticket SQL (kpis.db.test.ts holds both equal to core/kpis).
CREATE FUNCTION kpi_rollup_ticket(t tickets, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  INSERT INTO kpi_daily_team_rollups AS k (day, team_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold)
    VALUES ((t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, sign * 1, sign * (t.state = 'new')::int, sign * (t.state = 'assigned')::int, sign * (t.state = 'in_progress')::int, sign * (t.state = 'on_hold')::int)
    ON CONFLICT ON CONSTRAINT kpi_daily_team_rollups_key DO UPDATE SET created = k.created + excluded.created, open_new = k.open_new + excluded.open_new, open_assigned = k.open_assigned + excluded.open_assigned, open_in_progress = k.open_in_progress + excluded.open_in_progress, open_on_hold = k.open_on_hold + excluded.open_on_hold;
  INSERT INTO kpi_daily_rollups AS k (day, team_id, service_id, category_id, subcategory_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold)
    VALUES ((t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, sign * 1, sign * (t.state = 'new')::int, sign * (t.state = 'assigned')::int, sign * (t.state = 'in_progress')::int, sign * (t.state = 'on_hold')::int)
    ON CONFLICT ON CONSTRAINT kpi_daily_rollups_key DO UPDATE SET created = k.created + excluded.created, open_new = k.open_new + excluded.open_new, open_assigned = k.open_assigned + excluded.open_assigned, open_in_progress = k.open_in_progress + excluded.open_in_progress, open_on_hold = k.open_on_hold + excluded.open_on_hold;
  IF t.first_response_at IS NOT NULL THEN
    INSERT INTO kpi_daily_team_rollups AS k (day, team_id, priority, kind, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms)
      VALUES ((t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, sign * 1, sign * greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), sign * (t.business_acknowledge_ms IS NOT NULL)::int, sign * coalesce(t.business_acknowledge_ms, 0))
      ON CONFLICT ON CONSTRAINT kpi_daily_team_rollups_key DO UPDATE SET acknowledged = k.acknowledged + excluded.acknowledged, acknowledge_ms = k.acknowledge_ms + excluded.acknowledge_ms, business_acknowledged = k.business_acknowledged + excluded.business_acknowledged, business_acknowledge_ms = k.business_acknowledge_ms + excluded.business_acknowledge_ms;
    INSERT INTO kpi_daily_rollups AS k (day, team_id, service_id, category_id, subcategory_id, priority, kind, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms)
      VALUES ((t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, sign * 1, sign * greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), sign * (t.business_acknowledge_ms IS NOT NULL)::int, sign * coalesce(t.business_acknowledge_ms, 0))
      ON CONFLICT ON CONSTRAINT kpi_daily_rollups_key DO UPDATE SET acknowledged = k.acknowledged + excluded.acknowledged, acknowledge_ms = k.acknowledge_ms + excluded.acknowledge_ms, business_acknowledged = k.business_acknowledged + excluded.business_acknowledged, business_acknowledge_ms = k.business_acknowledge_ms + excluded.business_acknowledge_ms;
  END IF;
  IF t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL THEN
    INSERT INTO kpi_daily_team_rollups AS k (day, team_id, priority, kind, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached)
      VALUES ((t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, sign * 1, sign * greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), sign * (t.business_resolve_ms IS NOT NULL)::int, sign * coalesce(t.business_resolve_ms, 0), sign * (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, sign * (t.reassignment_count > 0)::int, sign * (t.reopen_count > 0)::int, sign * (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, sign * (t.sla_breached)::int)
      ON CONFLICT ON CONSTRAINT kpi_daily_team_rollups_key DO UPDATE SET resolved = k.resolved + excluded.resolved, resolve_ms = k.resolve_ms + excluded.resolve_ms, business_resolved = k.business_resolved + excluded.business_resolved, business_resolve_ms = k.business_resolve_ms + excluded.business_resolve_ms, first_contact = k.first_contact + excluded.first_contact, reassigned = k.reassigned + excluded.reassigned, reopened = k.reopened + excluded.reopened, sla_met = k.sla_met + excluded.sla_met, sla_breached = k.sla_breached + excluded.sla_breached;
    INSERT INTO kpi_daily_rollups AS k (day, team_id, service_id, category_id, subcategory_id, priority, kind, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached)
      VALUES ((t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, sign * 1, sign * greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), sign * (t.business_resolve_ms IS NOT NULL)::int, sign * coalesce(t.business_resolve_ms, 0), sign * (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, sign * (t.reassignment_count > 0)::int, sign * (t.reopen_count > 0)::int, sign * (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, sign * (t.sla_breached)::int)
      ON CONFLICT ON CONSTRAINT kpi_daily_rollups_key DO UPDATE SET resolved = k.resolved + excluded.resolved, resolve_ms = k.resolve_ms + excluded.resolve_ms, business_resolved = k.business_resolved + excluded.business_resolved, business_resolve_ms = k.business_resolve_ms + excluded.business_resolve_ms, first_contact = k.first_contact + excluded.first_contact, reassigned = k.reassigned + excluded.reassigned, reopened = k.reopened + excluded.reopened, sla_met = k.sla_met + excluded.sla_met, sla_breached = k.sla_breached + excluded.sla_breached;
  END IF;
  FOR r IN SELECT s.rating, s.answered_at FROM satisfaction_ratings s WHERE s.ticket_id = t.id LOOP
    PERFORM kpi_rollup_rating(t, r.rating, r.answered_at, sign);
  END LOOP;
END $$;--> statement-breakpoint
CREATE FUNCTION kpi_rollups_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_ticket(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM kpi_rollup_ticket(NEW, 1); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION kpi_rollups_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t tickets;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT * INTO t FROM tickets WHERE id = OLD.ticket_id;
    PERFORM kpi_rollup_rating(t, OLD.rating, OLD.answered_at, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT * INTO t FROM tickets WHERE id = NEW.ticket_id;
    PERFORM kpi_rollup_rating(t, NEW.rating, NEW.answered_at, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- In the writer's transaction, for every writer (the ticket-change pipeline, the SLA breach flag and
-- policy re-application that write without a new version, imports, backfills), and only when a
-- column a KPI reads changed, so the many other updates of a ticket (title, assignee, SLA due
-- time) cost nothing.
CREATE TRIGGER kpi_rollups_on_ticket_insert_delete AFTER INSERT OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION kpi_rollups_on_ticket();--> statement-breakpoint
CREATE TRIGGER kpi_rollups_on_ticket_update AFTER UPDATE ON tickets FOR EACH ROW
  WHEN ((OLD.opened_at, OLD.first_response_at, OLD.resolved_at, OLD.state, OLD.team_id, OLD.service_id, OLD.category_id,
         OLD.subcategory_id, OLD.priority, OLD.kind, OLD.business_acknowledge_ms, OLD.business_resolve_ms,
         OLD.reassignment_count, OLD.reopen_count, OLD.staff_reply_count, OLD.sla_policy_id, OLD.sla_breached)
    IS DISTINCT FROM
        (NEW.opened_at, NEW.first_response_at, NEW.resolved_at, NEW.state, NEW.team_id, NEW.service_id, NEW.category_id,
         NEW.subcategory_id, NEW.priority, NEW.kind, NEW.business_acknowledge_ms, NEW.business_resolve_ms,
         NEW.reassignment_count, NEW.reopen_count, NEW.staff_reply_count, NEW.sla_policy_id, NEW.sla_breached))
  EXECUTE FUNCTION kpi_rollups_on_ticket();--> statement-breakpoint
CREATE TRIGGER kpi_rollups_on_rating AFTER INSERT OR UPDATE OR DELETE ON satisfaction_ratings
  FOR EACH ROW EXECUTE FUNCTION kpi_rollups_on_rating();--> statement-breakpoint
-- Backfill: the rollups of the tickets already there, one pass per family and rollup
-- (bench/kpis.ts times them).
INSERT INTO kpi_daily_team_rollups (day, team_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
SELECT day, team_id, priority, kind, sum(created), sum(open_new), sum(open_assigned), sum(open_in_progress), sum(open_on_hold), sum(acknowledged), sum(acknowledge_ms), sum(business_acknowledged), sum(business_acknowledge_ms), sum(resolved), sum(resolve_ms), sum(business_resolved), sum(business_resolve_ms), sum(first_contact), sum(reassigned), sum(reopened), sum(sla_met), sum(sla_breached), sum(rated_1), sum(rated_2), sum(rated_3), sum(rated_4), sum(rated_5) FROM (
  SELECT (t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 1, (t.state = 'new')::int, (t.state = 'assigned')::int, (t.state = 'in_progress')::int, (t.state = 'on_hold')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM tickets t
  UNION ALL
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, 1, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), (t.business_acknowledge_ms IS NOT NULL)::int, coalesce(t.business_acknowledge_ms, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), (t.business_resolve_ms IS NOT NULL)::int, coalesce(t.business_resolve_ms, 0), (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, (t.reassignment_count > 0)::int, (t.reopen_count > 0)::int, (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, (t.sla_breached)::int, 0, 0, 0, 0, 0
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT (r.answered_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (r.rating = 1)::int, (r.rating = 2)::int, (r.rating = 3)::int, (r.rating = 4)::int, (r.rating = 5)::int
    FROM satisfaction_ratings r JOIN tickets t ON t.id = r.ticket_id
) contributions (day, team_id, priority, kind,
  created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
GROUP BY day, team_id, priority, kind;--> statement-breakpoint
INSERT INTO kpi_daily_rollups (day, team_id, service_id, category_id, subcategory_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
SELECT day, team_id, service_id, category_id, subcategory_id, priority, kind, sum(created), sum(open_new), sum(open_assigned), sum(open_in_progress), sum(open_on_hold), sum(acknowledged), sum(acknowledge_ms), sum(business_acknowledged), sum(business_acknowledge_ms), sum(resolved), sum(resolve_ms), sum(business_resolved), sum(business_resolve_ms), sum(first_contact), sum(reassigned), sum(reopened), sum(sla_met), sum(sla_breached), sum(rated_1), sum(rated_2), sum(rated_3), sum(rated_4), sum(rated_5) FROM (
  SELECT (t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 1, (t.state = 'new')::int, (t.state = 'assigned')::int, (t.state = 'in_progress')::int, (t.state = 'on_hold')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM tickets t
  UNION ALL
  SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, 1, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), (t.business_acknowledge_ms IS NOT NULL)::int, coalesce(t.business_acknowledge_ms, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM tickets t WHERE t.first_response_at IS NOT NULL
  UNION ALL
  SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), (t.business_resolve_ms IS NOT NULL)::int, coalesce(t.business_resolve_ms, 0), (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, (t.reassignment_count > 0)::int, (t.reopen_count > 0)::int, (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, (t.sla_breached)::int, 0, 0, 0, 0, 0
    FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  UNION ALL
  SELECT (r.answered_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (r.rating = 1)::int, (r.rating = 2)::int, (r.rating = 3)::int, (r.rating = 4)::int, (r.rating = 5)::int
    FROM satisfaction_ratings r JOIN tickets t ON t.id = r.ticket_id
) contributions (day, team_id, service_id, category_id, subcategory_id, priority, kind,
  created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
GROUP BY day, team_id, service_id, category_id, subcategory_id, priority, kind;
