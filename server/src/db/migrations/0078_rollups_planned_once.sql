-- The rollup functions of migrations 0070 and 0071 in PL/pgSQL (issue 19, the write path): a
-- LANGUAGE sql function is planned again at every call (PostgreSQL keeps no plan of an SQL
-- function's body between calls), and kpi_rollup_tickets' two INSERT … SELECT … UNION ALL … ON
-- CONFLICT statements and kpi_rollup_ticket_durations' two took ~20 ms of planning for each ticket
-- created (EXPLAIN ANALYZE of one INSERT INTO tickets, warm connection, against ~0.3 ms for the
-- insert itself). PL/pgSQL prepares each statement once per connection and keeps its plan. The
-- statements are the same text, so the rollups they keep are the same (kpis.db.test.ts,
-- kpi-statement-triggers.db.test.ts); rollup-trigger-plans.db.test.ts checks the language.
CREATE OR REPLACE FUNCTION kpi_rollup_tickets(signs integer[], ts tickets[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_rollup_ticket_durations(signs integer[], ts tickets[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
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
END $$;--> statement-breakpoint
-- kpi_running_counts and kpi_add_running, which the quarter-hour rollups call, are already PL/pgSQL
-- loops since migration 0074 (faster than these statements, same results): left as 0074 wrote them.
CREATE OR REPLACE FUNCTION kpi_quarter_rollups_apply(opened timestamptz[], resolved timestamptz[], states ticket_state[], team_ids uuid[],
    priorities smallint[], kinds ticket_kind[], signs integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_daily_quarter_rollups AS k (day, team_id, priority, kind, created_running, resolved_running)
  SELECT c.day, c.team_id, c.priority, c.kind, kpi_running_counts(array_agg(c.quarter), array_agg(c.created)),
         kpi_running_counts(array_agg(c.quarter), array_agg(c.resolved))
  FROM (
    SELECT (t.opened_at AT TIME ZONE 'UTC')::date AS day, t.team_id, t.priority, t.kind, kpi_quarter_of_day(t.opened_at) AS quarter,
           t.sign AS created, 0 AS resolved
      FROM unnest(opened, resolved, states, team_ids, priorities, kinds, signs) t(opened_at, resolved_at, state, team_id, priority, kind, sign)
    UNION ALL
    SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, kpi_quarter_of_day(t.resolved_at), 0, t.sign
      FROM unnest(opened, resolved, states, team_ids, priorities, kinds, signs) t(opened_at, resolved_at, state, team_id, priority, kind, sign)
      WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  ) c
  GROUP BY c.day, c.team_id, c.priority, c.kind
  ON CONFLICT ON CONSTRAINT kpi_daily_quarter_rollups_key DO UPDATE
    SET created_running = kpi_add_running(k.created_running, excluded.created_running),
        resolved_running = kpi_add_running(k.resolved_running, excluded.resolved_running);
END $$;
