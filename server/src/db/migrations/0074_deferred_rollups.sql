-- Rollups added once per import, not per statement (issue 16, the import's figure). THE CONTRACT for
-- every rollup kept from the tickets (the KPI daily rollups of 0058, the duration histograms of 0062,
-- the quarter-hour running totals of 0071, and any later one):
--   1. A transaction that runs `SELECT set_config('firebreak.defer_rollups', 'on', true)` inserts
--      tickets that no rollup counts yet: they are listed in kpi_pending_tickets (by the trigger
--      below, in the same transaction, so a ticket committed is a ticket listed).
--   2. A listed ticket is left out by every rollup trigger: INSERT triggers return at once when the
--      setting is 'on'; UPDATE, DELETE and rating triggers skip the listed tickets' rows.
--   3. kpi_rollups_add_tickets(ids) adds tickets as they stand to EVERY rollup, one grouped upsert
--      per rollup table; kpi_rollups_drain_pending(n) unlists up to n tickets and adds them with it.
-- A later rollup table follows 2 in its triggers and adds itself to kpi_rollups_add_tickets.
-- An import that dies midway leaves its committed tickets listed, never half counted: the next
-- import drains them first (server/src/services/ticket-import.service.ts).
CREATE TABLE "kpi_pending_tickets" (
	"ticket_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- No foreign key: its cascade would unlist a deleted ticket before the rollup delete trigger looks
-- (RI triggers sort before ours); the drain ignores ids whose ticket is gone.
CREATE FUNCTION kpi_rollups_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('firebreak.defer_rollups', true), '') = 'on'
$$;--> statement-breakpoint
CREATE FUNCTION kpi_pending_on_tickets_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF kpi_rollups_deferred() THEN
    INSERT INTO kpi_pending_tickets (ticket_id) SELECT n.id FROM inserted n ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER kpi_pending_on_tickets_inserted AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION kpi_pending_on_tickets_inserted();--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_rollups_on_tickets_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  IF kpi_rollups_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(n), array_agg(1) INTO ts, signs FROM inserted n;
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  PERFORM kpi_rollup_ticket_durations(signs, ts);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_rollups_on_tickets_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[]; dts tickets[]; dsigns integer[];
BEGIN
  WITH changed AS (
    SELECT o, n, (o.opened_at, o.first_response_at, o.resolved_at, o.state IN ('resolved', 'closed'), o.team_id, o.service_id, o.category_id, o.subcategory_id, o.priority, o.kind, o.business_acknowledge_ms, o.business_resolve_ms)
        IS DISTINCT FROM (n.opened_at, n.first_response_at, n.resolved_at, n.state IN ('resolved', 'closed'), n.team_id, n.service_id, n.category_id, n.subcategory_id, n.priority, n.kind, n.business_acknowledge_ms, n.business_resolve_ms) AS durations
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.opened_at, o.first_response_at, o.resolved_at, o.state, o.team_id, o.service_id, o.category_id, o.subcategory_id, o.priority, o.kind, o.business_acknowledge_ms, o.business_resolve_ms, o.reassignment_count, o.reopen_count, o.staff_reply_count, o.sla_policy_id, o.sla_breached)
        IS DISTINCT FROM (n.opened_at, n.first_response_at, n.resolved_at, n.state, n.team_id, n.service_id, n.category_id, n.subcategory_id, n.priority, n.kind, n.business_acknowledge_ms, n.business_resolve_ms, n.reassignment_count, n.reopen_count, n.staff_reply_count, n.sla_policy_id, n.sla_breached)
        AND NOT EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = n.id)
  )
  SELECT array_agg(c.t), array_agg(c.sign), array_agg(c.t) FILTER (WHERE c.durations), array_agg(c.sign) FILTER (WHERE c.durations)
    INTO ts, signs, dts, dsigns
    FROM (SELECT o, -1, durations FROM changed UNION ALL SELECT n, 1, durations FROM changed) c (t, sign, durations);
  IF ts IS NULL THEN RETURN NULL; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  IF dts IS NOT NULL THEN PERFORM kpi_rollup_ticket_durations(dsigns, dts); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The row trigger left for deletes (0070; its body as 0062 wrote it) and the ratings' (0058).
CREATE OR REPLACE FUNCTION kpi_rollups_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = coalesce(NEW.id, OLD.id)) THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_ticket(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM kpi_rollup_ticket(NEW, 1); END IF;
  IF TG_OP = 'UPDATE' AND (OLD.opened_at, OLD.first_response_at, OLD.resolved_at, OLD.state IN ('resolved', 'closed'), OLD.team_id,
      OLD.service_id, OLD.category_id, OLD.subcategory_id, OLD.priority, OLD.kind, OLD.business_acknowledge_ms, OLD.business_resolve_ms)
    IS NOT DISTINCT FROM (NEW.opened_at, NEW.first_response_at, NEW.resolved_at, NEW.state IN ('resolved', 'closed'), NEW.team_id,
      NEW.service_id, NEW.category_id, NEW.subcategory_id, NEW.priority, NEW.kind, NEW.business_acknowledge_ms, NEW.business_resolve_ms) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM kpi_rollup_durations(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM kpi_rollup_durations(NEW, 1); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_rollups_on_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t tickets;
BEGIN
  IF EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = coalesce(NEW.ticket_id, OLD.ticket_id)) THEN RETURN NULL; END IF;
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
CREATE OR REPLACE FUNCTION kpi_quarter_rollups_on_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF kpi_rollups_deferred() THEN RETURN NULL; END IF;
    PERFORM kpi_quarter_rollups_apply(array_agg(n.opened_at), array_agg(n.resolved_at), array_agg(n.state), array_agg(n.team_id),
      array_agg(n.priority), array_agg(n.kind), array_agg(1)) FROM kpi_new_tickets n HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_quarter_rollups_apply(array_agg(o.opened_at), array_agg(o.resolved_at), array_agg(o.state), array_agg(o.team_id),
      array_agg(o.priority), array_agg(o.kind), array_agg(-1)) FROM kpi_old_tickets o
      WHERE NOT EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = o.id) HAVING count(*) > 0;
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
        AND NOT EXISTS (SELECT 1 FROM kpi_pending_tickets p WHERE p.ticket_id = n.id)
    ) c HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Adds the tickets as they stand (with their ratings) to every rollup: the same definitions as the
-- insert triggers, over any number of tickets, one grouped upsert per rollup table. THE one place a
-- later rollup table adds itself.
CREATE FUNCTION kpi_rollups_add_tickets(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE ts tickets[]; signs integer[];
BEGIN
  SELECT array_agg(t), array_agg(1) INTO ts, signs FROM tickets t WHERE t.id = ANY(ids);
  IF ts IS NULL THEN RETURN; END IF;
  PERFORM kpi_rollup_tickets(signs, ts);
  PERFORM kpi_rollup_ticket_durations(signs, ts);
  PERFORM kpi_quarter_rollups_apply(array_agg(t.opened_at), array_agg(t.resolved_at), array_agg(t.state), array_agg(t.team_id),
    array_agg(t.priority), array_agg(t.kind), array_agg(1)) FROM unnest(ts) t;
END $$;--> statement-breakpoint
-- Unlists up to `most` pending tickets and adds them to the rollups, in the caller's transaction;
-- returns how many it unlisted (0: none left). The tickets are locked first, so a writer changing
-- one of them meanwhile (its trigger skipped it: still listed) commits before they are read.
CREATE FUNCTION kpi_rollups_drain_pending(most integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE ids uuid[];
BEGIN
  WITH taken AS (
    DELETE FROM kpi_pending_tickets p
      WHERE p.ticket_id IN (SELECT q.ticket_id FROM kpi_pending_tickets q LIMIT most FOR UPDATE SKIP LOCKED)
      RETURNING p.ticket_id
  ) SELECT array_agg(ticket_id) INTO ids FROM taken;
  IF ids IS NULL THEN RETURN 0; END IF;
  PERFORM 1 FROM tickets t WHERE t.id = ANY(ids) FOR UPDATE;
  PERFORM kpi_rollups_add_tickets(ids);
  RETURN cardinality(ids);
END $$;
--> statement-breakpoint
-- Admin › Import lists command-line imports too (they go through the same run bookkeeping): who ran
-- one where, since no signed-in person did (schema/imports.ts).
ALTER TABLE "import_runs" ADD COLUMN "started_from" text;
--> statement-breakpoint
-- The quarter-hour running totals of 0071, same results, as loops over the 97 elements: the
-- generate_series + window per rollup row was most of an import's rollup time (2,500 tickets,
-- ~5,000 rows: 7.4 s before, 1.4 s after on this machine under load).
CREATE OR REPLACE FUNCTION kpi_running_counts(quarters integer[], counts integer[]) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE running integer[] := array_fill(0, ARRAY[97]); total integer := 0;
BEGIN
  -- A count in quarter q is before quarters q + 1 … 96, elements q + 2 … 97.
  FOR i IN 1 .. coalesce(array_length(quarters, 1), 0) LOOP
    running[quarters[i] + 2] := running[quarters[i] + 2] + counts[i];
  END LOOP;
  FOR i IN 1 .. 97 LOOP
    total := total + running[i];
    running[i] := total;
  END LOOP;
  RETURN running;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_add_running(a integer[], b integer[]) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  FOR i IN 1 .. 97 LOOP
    a[i] := a[i] + b[i];
  END LOOP;
  RETURN a;
END $$;
