-- Created and resolved per UTC day by quarter hour, as running totals (schema/kpi-rollups.ts), so the
-- created-vs-resolved series of a time zone whose days are not UTC days (Berlin, Kolkata +5:30,
-- Kathmandu +5:45) reads a row per UTC day and team, priority and kind instead of every ticket.
CREATE TABLE "kpi_daily_quarter_rollups" (
	"day" date NOT NULL,
	"team_id" uuid,
	"priority" smallint NOT NULL,
	"kind" "ticket_kind" NOT NULL,
	"created_running" integer[] NOT NULL,
	"resolved_running" integer[] NOT NULL,
	CONSTRAINT "kpi_daily_quarter_rollups_key" UNIQUE NULLS NOT DISTINCT("day","team_id","priority","kind")
);
--> statement-breakpoint
-- The quarter hour of its UTC day an instant falls in, 0 to 95.
CREATE FUNCTION kpi_quarter_of_day(at timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor(extract(epoch FROM (at AT TIME ZONE 'UTC')::time) / 900)::int
$$;--> statement-breakpoint
-- Running totals from counts by quarter: element i + 1 is the sum of the counts of quarters before
-- i, for i from 0 to 96 (so element 1 is 0 and element 97 the day's total).
CREATE FUNCTION kpi_running_counts(quarters integer[], counts integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(r.total::int ORDER BY r.i) FROM (
    SELECT g.i, sum(coalesce(c.n, 0)) OVER (ORDER BY g.i) AS total
    FROM generate_series(0, 96) g(i)
    LEFT JOIN (SELECT u.q, sum(u.n) AS n FROM unnest(quarters, counts) u(q, n) GROUP BY u.q) c ON c.q = g.i - 1
  ) r
$$;--> statement-breakpoint
CREATE FUNCTION kpi_add_running(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(u.x + u.y ORDER BY u.n) FROM unnest(a, b) WITH ORDINALITY u(x, y, n)
$$;--> statement-breakpoint
-- Tickets counted (sign 1) or taken away (sign -1), given column by column: each adds to its opened
-- day's created totals and, when resolved or closed after a resolution, to its resolved day's
-- resolved totals (kpis.repository.ts's createdVsResolvedSql, the per-ticket definition).
CREATE FUNCTION kpi_quarter_rollups_apply(opened timestamptz[], resolved timestamptz[], states ticket_state[], team_ids uuid[],
    priorities smallint[], kinds ticket_kind[], signs integer[]) RETURNS void LANGUAGE sql AS $$
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
        resolved_running = kpi_add_running(k.resolved_running, excluded.resolved_running)
$$;--> statement-breakpoint
-- Once per statement, over the statement's rows (transition tables): an import or a bulk update of
-- thousands of tickets is one grouped upsert, and an update that changes nothing these totals read
-- (most of a ticket's updates: title, assignee, SLA due time) writes nothing.
CREATE FUNCTION kpi_quarter_rollups_on_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_quarter_rollups_apply(array_agg(n.opened_at), array_agg(n.resolved_at), array_agg(n.state), array_agg(n.team_id),
      array_agg(n.priority), array_agg(n.kind), array_agg(1)) FROM kpi_new_tickets n HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_quarter_rollups_apply(array_agg(o.opened_at), array_agg(o.resolved_at), array_agg(o.state), array_agg(o.team_id),
      array_agg(o.priority), array_agg(o.kind), array_agg(-1)) FROM kpi_old_tickets o HAVING count(*) > 0;
  ELSE
    PERFORM kpi_quarter_rollups_apply(array_agg(c.opened_at), array_agg(c.resolved_at), array_agg(c.state), array_agg(c.team_id),
      array_agg(c.priority), array_agg(c.kind), array_agg(c.sign))
    FROM (
      SELECT x.* FROM kpi_old_tickets o JOIN kpi_new_tickets n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.opened_at, o.resolved_at, o.state, o.team_id, o.priority, o.kind, -1),
                                 (n.opened_at, n.resolved_at, n.state, n.team_id, n.priority, n.kind, 1))
        x(opened_at, resolved_at, state, team_id, priority, kind, sign)
      WHERE (o.opened_at, o.resolved_at, o.state IN ('resolved', 'closed'), o.team_id, o.priority, o.kind)
        IS DISTINCT FROM (n.opened_at, n.resolved_at, n.state IN ('resolved', 'closed'), n.team_id, n.priority, n.kind)
    ) c HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Beside (not inside) the rollup triggers of migrations 0058 and 0062: in every writer's transaction,
-- whoever the writer is. Transition tables allow one event per trigger, hence three.
CREATE TRIGGER kpi_quarter_rollups_on_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS kpi_new_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_quarter_rollups_on_tickets();--> statement-breakpoint
CREATE TRIGGER kpi_quarter_rollups_on_update AFTER UPDATE ON tickets REFERENCING OLD TABLE AS kpi_old_tickets NEW TABLE AS kpi_new_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_quarter_rollups_on_tickets();--> statement-breakpoint
CREATE TRIGGER kpi_quarter_rollups_on_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS kpi_old_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_quarter_rollups_on_tickets();--> statement-breakpoint
-- Backfill: the totals of the tickets already there, counted by quarter first (bench/kpis.ts times it).
INSERT INTO kpi_daily_quarter_rollups (day, team_id, priority, kind, created_running, resolved_running)
SELECT q.day, q.team_id, q.priority, q.kind, kpi_running_counts(array_agg(q.quarter), array_agg(q.created)),
       kpi_running_counts(array_agg(q.quarter), array_agg(q.resolved))
FROM (
  SELECT c.day, c.team_id, c.priority, c.kind, c.quarter, sum(c.created)::int AS created, sum(c.resolved)::int AS resolved FROM (
    SELECT (t.opened_at AT TIME ZONE 'UTC')::date AS day, t.team_id, t.priority, t.kind, kpi_quarter_of_day(t.opened_at) AS quarter,
           1 AS created, 0 AS resolved
      FROM tickets t
    UNION ALL
    SELECT (t.resolved_at AT TIME ZONE 'UTC')::date, t.team_id, t.priority, t.kind, kpi_quarter_of_day(t.resolved_at), 0, 1
      FROM tickets t WHERE t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL
  ) c GROUP BY c.day, c.team_id, c.priority, c.kind, c.quarter
) q
GROUP BY q.day, q.team_id, q.priority, q.kind;
