-- Admin › Import's runs, kept in the database (issue 16): see server/src/db/schema/imports.ts.
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"bytes" bigint NOT NULL,
	"started_by_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"state" text NOT NULL,
	"phase" text NOT NULL,
	"percent" smallint DEFAULT 0 NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"incidents" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"heartbeat_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_started_by_id_users_id_fk" FOREIGN KEY ("started_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_started_idx" ON "import_runs" USING btree ("started_at");--> statement-breakpoint
-- KPI rollups and duration histograms kept per statement (issue 16, the import's figure): the
-- row-level triggers of migrations 0058 and 0062 ran six upserts (and up to eight more for the
-- histograms) for every ticket an import inserted. Now each INSERT or UPDATE statement on tickets
-- hands its rows (transition tables) to two functions that add up every ticket's contribution per
-- rollup row and upsert each row once: a batch of 200 imported tickets is four upserts, not ~2,000.
-- The definitions are kpi_rollup_ticket's and kpi_rollup_durations' (0058, 0062), summed;
-- kpis.db.test.ts holds the rollups equal to the backfill and kpi-statement-triggers.db.test.ts a
-- multi-row statement equal to the same changes row by row. Groups whose sum is zero are skipped:
-- adding nothing to a row that exists changes nothing (and a group no earlier change created
-- cannot sum to zero: it would need a -1, which only a counted ticket gives).
-- signs[i] is +1 (counted) or -1 (taken away) for ts[i].
CREATE FUNCTION kpi_rollup_tickets(signs integer[], ts tickets[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO kpi_daily_team_rollups AS k (day, team_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  SELECT day, team_id, priority, kind, sum(created), sum(open_new), sum(open_assigned), sum(open_in_progress), sum(open_on_hold), sum(acknowledged), sum(acknowledge_ms), sum(business_acknowledged), sum(business_acknowledge_ms), sum(resolved), sum(resolve_ms), sum(business_resolved), sum(business_resolve_ms), sum(first_contact), sum(reassigned), sum(reopened), sum(sla_met), sum(sla_breached), sum(rated_1), sum(rated_2), sum(rated_3), sum(rated_4), sum(rated_5) FROM (
    SELECT (t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, t.sign, t.sign * (t.state = 'new')::int, t.sign * (t.state = 'assigned')::int, t.sign * (t.state = 'in_progress')::int, t.sign * (t.state = 'on_hold')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign)
    UNION ALL
    SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), t.sign * (t.business_acknowledge_ms IS NOT NULL)::int, t.sign * coalesce(t.business_acknowledge_ms, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), t.sign * (t.business_resolve_ms IS NOT NULL)::int, t.sign * coalesce(t.business_resolve_ms, 0), t.sign * (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, t.sign * (t.reassignment_count > 0)::int, t.sign * (t.reopen_count > 0)::int, t.sign * (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, t.sign * (t.sla_breached)::int, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT (r.answered_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign * (r.rating = 1)::int, t.sign * (r.rating = 2)::int, t.sign * (r.rating = 3)::int, t.sign * (r.rating = 4)::int, t.sign * (r.rating = 5)::int
      FROM unnest(signs, ts) AS t(sign) JOIN satisfaction_ratings r ON r.ticket_id = t.id
  ) contributions (day, team_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  GROUP BY day, team_id, priority, kind
  HAVING NOT (sum(created) = 0 AND sum(open_new) = 0 AND sum(open_assigned) = 0 AND sum(open_in_progress) = 0 AND sum(open_on_hold) = 0 AND sum(acknowledged) = 0 AND sum(acknowledge_ms) = 0 AND sum(business_acknowledged) = 0 AND sum(business_acknowledge_ms) = 0 AND sum(resolved) = 0 AND sum(resolve_ms) = 0 AND sum(business_resolved) = 0 AND sum(business_resolve_ms) = 0 AND sum(first_contact) = 0 AND sum(reassigned) = 0 AND sum(reopened) = 0 AND sum(sla_met) = 0 AND sum(sla_breached) = 0 AND sum(rated_1) = 0 AND sum(rated_2) = 0 AND sum(rated_3) = 0 AND sum(rated_4) = 0 AND sum(rated_5) = 0)
  ON CONFLICT ON CONSTRAINT kpi_daily_team_rollups_key DO UPDATE SET created = k.created + excluded.created, open_new = k.open_new + excluded.open_new, open_assigned = k.open_assigned + excluded.open_assigned, open_in_progress = k.open_in_progress + excluded.open_in_progress, open_on_hold = k.open_on_hold + excluded.open_on_hold, acknowledged = k.acknowledged + excluded.acknowledged, acknowledge_ms = k.acknowledge_ms + excluded.acknowledge_ms, business_acknowledged = k.business_acknowledged + excluded.business_acknowledged, business_acknowledge_ms = k.business_acknowledge_ms + excluded.business_acknowledge_ms, resolved = k.resolved + excluded.resolved, resolve_ms = k.resolve_ms + excluded.resolve_ms, business_resolved = k.business_resolved + excluded.business_resolved, business_resolve_ms = k.business_resolve_ms + excluded.business_resolve_ms, first_contact = k.first_contact + excluded.first_contact, reassigned = k.reassigned + excluded.reassigned, reopened = k.reopened + excluded.reopened, sla_met = k.sla_met + excluded.sla_met, sla_breached = k.sla_breached + excluded.sla_breached, rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
  INSERT INTO kpi_daily_rollups AS k (day, team_id, service_id, category_id, subcategory_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  SELECT day, team_id, service_id, category_id, subcategory_id, priority, kind, sum(created), sum(open_new), sum(open_assigned), sum(open_in_progress), sum(open_on_hold), sum(acknowledged), sum(acknowledge_ms), sum(business_acknowledged), sum(business_acknowledge_ms), sum(resolved), sum(resolve_ms), sum(business_resolved), sum(business_resolve_ms), sum(first_contact), sum(reassigned), sum(reopened), sum(sla_met), sum(sla_breached), sum(rated_1), sum(rated_2), sum(rated_3), sum(rated_4), sum(rated_5) FROM (
    SELECT (t.opened_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.sign, t.sign * (t.state = 'new')::int, t.sign * (t.state = 'assigned')::int, t.sign * (t.state = 'in_progress')::int, t.sign * (t.state = 'on_hold')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign)
    UNION ALL
    SELECT (t.first_response_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000), t.sign * (t.business_acknowledge_ms IS NOT NULL)::int, t.sign * coalesce(t.business_acknowledge_ms, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign, t.sign * greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000), t.sign * (t.business_resolve_ms IS NOT NULL)::int, t.sign * coalesce(t.business_resolve_ms, 0), t.sign * (t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int, t.sign * (t.reassignment_count > 0)::int, t.sign * (t.reopen_count > 0)::int, t.sign * (t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int, t.sign * (t.sla_breached)::int, 0, 0, 0, 0, 0
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT (r.answered_at AT TIME ZONE 'UTC')::date, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.sign * (r.rating = 1)::int, t.sign * (r.rating = 2)::int, t.sign * (r.rating = 3)::int, t.sign * (r.rating = 4)::int, t.sign * (r.rating = 5)::int
      FROM unnest(signs, ts) AS t(sign) JOIN satisfaction_ratings r ON r.ticket_id = t.id
  ) contributions (day, team_id, service_id, category_id, subcategory_id, priority, kind, created, open_new, open_assigned, open_in_progress, open_on_hold, acknowledged, acknowledge_ms, business_acknowledged, business_acknowledge_ms, resolved, resolve_ms, business_resolved, business_resolve_ms, first_contact, reassigned, reopened, sla_met, sla_breached, rated_1, rated_2, rated_3, rated_4, rated_5)
  GROUP BY day, team_id, service_id, category_id, subcategory_id, priority, kind
  HAVING NOT (sum(created) = 0 AND sum(open_new) = 0 AND sum(open_assigned) = 0 AND sum(open_in_progress) = 0 AND sum(open_on_hold) = 0 AND sum(acknowledged) = 0 AND sum(acknowledge_ms) = 0 AND sum(business_acknowledged) = 0 AND sum(business_acknowledge_ms) = 0 AND sum(resolved) = 0 AND sum(resolve_ms) = 0 AND sum(business_resolved) = 0 AND sum(business_resolve_ms) = 0 AND sum(first_contact) = 0 AND sum(reassigned) = 0 AND sum(reopened) = 0 AND sum(sla_met) = 0 AND sum(sla_breached) = 0 AND sum(rated_1) = 0 AND sum(rated_2) = 0 AND sum(rated_3) = 0 AND sum(rated_4) = 0 AND sum(rated_5) = 0)
  ON CONFLICT ON CONSTRAINT kpi_daily_rollups_key DO UPDATE SET created = k.created + excluded.created, open_new = k.open_new + excluded.open_new, open_assigned = k.open_assigned + excluded.open_assigned, open_in_progress = k.open_in_progress + excluded.open_in_progress, open_on_hold = k.open_on_hold + excluded.open_on_hold, acknowledged = k.acknowledged + excluded.acknowledged, acknowledge_ms = k.acknowledge_ms + excluded.acknowledge_ms, business_acknowledged = k.business_acknowledged + excluded.business_acknowledged, business_acknowledge_ms = k.business_acknowledge_ms + excluded.business_acknowledge_ms, resolved = k.resolved + excluded.resolved, resolve_ms = k.resolve_ms + excluded.resolve_ms, business_resolved = k.business_resolved + excluded.business_resolved, business_resolve_ms = k.business_resolve_ms + excluded.business_resolve_ms, first_contact = k.first_contact + excluded.first_contact, reassigned = k.reassigned + excluded.reassigned, reopened = k.reopened + excluded.reopened, sla_met = k.sla_met + excluded.sla_met, sla_breached = k.sla_breached + excluded.sla_breached, rated_1 = k.rated_1 + excluded.rated_1, rated_2 = k.rated_2 + excluded.rated_2, rated_3 = k.rated_3 + excluded.rated_3, rated_4 = k.rated_4 + excluded.rated_4, rated_5 = k.rated_5 + excluded.rated_5;
$$;--> statement-breakpoint
CREATE FUNCTION kpi_rollup_ticket_durations(signs integer[], ts tickets[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO kpi_monthly_team_duration_buckets AS k (month, duration, team_id, priority, kind, bucket, count, total_ms)
  SELECT date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, team_id, priority, kind, kpi_duration_bucket(ms), sum(sign), sum(sign * ms::numeric) FROM (
    SELECT t.sign, t.first_response_at, 'acknowledge'::kpi_duration, t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.first_response_at, 'business_acknowledge', t.team_id, t.priority, t.kind, t.business_acknowledge_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
    UNION ALL
    SELECT t.sign, t.resolved_at, 'resolve', t.team_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.resolved_at, 'business_resolve', t.team_id, t.priority, t.kind, t.business_resolve_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
  ) durations (sign, ended, duration, team_id, priority, kind, ms)
  GROUP BY 1, duration, team_id, priority, kind, kpi_duration_bucket(ms)
  HAVING sum(sign) <> 0 OR sum(sign * ms::numeric) <> 0
  ON CONFLICT ON CONSTRAINT kpi_monthly_team_duration_buckets_key DO UPDATE SET count = k.count + excluded.count, total_ms = k.total_ms + excluded.total_ms;
  INSERT INTO kpi_monthly_duration_buckets AS k (month, duration, team_id, service_id, category_id, subcategory_id, priority, kind, bucket, count, total_ms)
  SELECT date_trunc('month', ended AT TIME ZONE 'UTC')::date, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms), sum(sign), sum(sign * ms::numeric) FROM (
    SELECT t.sign, t.first_response_at, 'acknowledge'::kpi_duration, t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.first_response_at, 'business_acknowledge', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_acknowledge_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.first_response_at IS NOT NULL AND t.business_acknowledge_ms IS NOT NULL
    UNION ALL
    SELECT t.sign, t.resolved_at, 'resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
    UNION ALL
    SELECT t.sign, t.resolved_at, 'business_resolve', t.team_id, t.service_id, t.category_id, t.subcategory_id, t.priority, t.kind, t.business_resolve_ms::float8
      FROM unnest(signs, ts) AS t(sign) WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL AND t.business_resolve_ms IS NOT NULL
  ) durations (sign, ended, duration, team_id, service_id, category_id, subcategory_id, priority, kind, ms)
  GROUP BY 1, duration, team_id, service_id, category_id, subcategory_id, priority, kind, kpi_duration_bucket(ms)
  HAVING sum(sign) <> 0 OR sum(sign * ms::numeric) <> 0
  ON CONFLICT ON CONSTRAINT kpi_monthly_duration_buckets_key DO UPDATE SET count = k.count + excluded.count, total_ms = k.total_ms + excluded.total_ms;
$$;--> statement-breakpoint
CREATE FUNCTION kpi_rollups_on_tickets_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  SELECT array_agg(n), array_agg(1) INTO ts, signs FROM inserted n;
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  PERFORM kpi_rollup_ticket_durations(signs, ts);
  RETURN NULL;
END $$;--> statement-breakpoint
-- Only the tickets whose KPI columns changed (the row trigger's WHEN before), each taken away as it
-- was and counted as it is; the histograms only where a duration or its dimensions changed.
CREATE FUNCTION kpi_rollups_on_tickets_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[]; dts tickets[]; dsigns integer[];
BEGIN
  WITH changed AS (
    SELECT o, n, (o.opened_at, o.first_response_at, o.resolved_at, o.state IN ('resolved', 'closed'), o.team_id, o.service_id, o.category_id, o.subcategory_id, o.priority, o.kind, o.business_acknowledge_ms, o.business_resolve_ms)
        IS DISTINCT FROM (n.opened_at, n.first_response_at, n.resolved_at, n.state IN ('resolved', 'closed'), n.team_id, n.service_id, n.category_id, n.subcategory_id, n.priority, n.kind, n.business_acknowledge_ms, n.business_resolve_ms) AS durations
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.opened_at, o.first_response_at, o.resolved_at, o.state, o.team_id, o.service_id, o.category_id, o.subcategory_id, o.priority, o.kind, o.business_acknowledge_ms, o.business_resolve_ms, o.reassignment_count, o.reopen_count, o.staff_reply_count, o.sla_policy_id, o.sla_breached)
        IS DISTINCT FROM (n.opened_at, n.first_response_at, n.resolved_at, n.state, n.team_id, n.service_id, n.category_id, n.subcategory_id, n.priority, n.kind, n.business_acknowledge_ms, n.business_resolve_ms, n.reassignment_count, n.reopen_count, n.staff_reply_count, n.sla_policy_id, n.sla_breached)
  )
  SELECT array_agg(c.t), array_agg(c.sign), array_agg(c.t) FILTER (WHERE c.durations), array_agg(c.sign) FILTER (WHERE c.durations)
    INTO ts, signs, dts, dsigns
    FROM (SELECT o, -1, durations FROM changed UNION ALL SELECT n, 1, durations FROM changed) c (t, sign, durations);
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  IF dts IS NOT NULL THEN PERFORM kpi_rollup_ticket_durations(dsigns, dts); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Deletes stay row by row (migration 0058's function): rare (tests, restores), and a ticket's
-- ratings, which its contribution includes, are still there only while the row trigger runs.
DROP TRIGGER kpi_rollups_on_ticket_insert_delete ON tickets;--> statement-breakpoint
DROP TRIGGER kpi_rollups_on_ticket_update ON tickets;--> statement-breakpoint
CREATE TRIGGER kpi_rollups_on_ticket_delete AFTER DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION kpi_rollups_on_ticket();--> statement-breakpoint
CREATE TRIGGER kpi_rollups_on_tickets_inserted AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollups_on_tickets_inserted();--> statement-breakpoint
CREATE TRIGGER kpi_rollups_on_tickets_updated AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_rollups_on_tickets_updated();--> statement-breakpoint
-- Live announcements (migration 0012) per statement, and none for a transaction that says it writes
-- history silently: the importer sets firebreak.silent to 'import' for its batch's transaction
-- (set_config(…, true): it ends with the transaction, so no other work on the connection is
-- silenced) and sends one refresh announcement when the import ends instead of one per event.
CREATE FUNCTION firebreak_announce_timeline_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  IF current_setting('firebreak.silent', true) = 'import' THEN RETURN NULL; END IF;
  FOR e IN
    SELECT n.id, n.ticket_id, n.type, n.internal, t.number, t.requester_id, t.reported_by_id, t.team_id, t.assignee_id
      FROM inserted n LEFT JOIN tickets t ON t.id = n.ticket_id ORDER BY n.id
  LOOP
    PERFORM pg_notify('firebreak_events', json_build_object(
      'topic', 'ticket',
      'ticketId', e.ticket_id,
      'number', e.number,
      'eventId', e.id,
      'type', e.type,
      'internal', e.internal,
      'requesterId', e.requester_id,
      'reportedById', e.reported_by_id,
      'teamId', e.team_id,
      'assigneeId', e.assignee_id
    )::text);
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER timeline_events_announce ON timeline_events;--> statement-breakpoint
DROP FUNCTION firebreak_announce_timeline_event();--> statement-breakpoint
CREATE TRIGGER timeline_events_announce AFTER INSERT ON timeline_events
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_timeline_events();
