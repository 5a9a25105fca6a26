-- Similar past incidents' own index (issue 17 item 8): see server/src/db/schema/similar-incidents.ts.
-- The narrowing read each matching ticket's wide row (kind, state, date) and computed its words again
-- to rank it; here the resolved and closed incidents' words sit in a narrow table of their own.
CREATE TABLE "similar_incident_terms" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"resolved_at" timestamp with time zone,
	"terms" "tsvector" NOT NULL
);
--> statement-breakpoint
-- Kept per statement, like the KPI rollups (migration 0070): an import's batch of tickets is one
-- INSERT … SELECT here, not a function call per ticket. A ticket is listed while it is a resolved or
-- closed incident; its row is written again when what it holds changes (number, title, description,
-- resolution date), and removed when it is reopened, becomes another kind, or is deleted. Other
-- updates (assignment, replies, SLA clocks) leave it alone.
CREATE FUNCTION similar_incident_terms_on_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO similar_incident_terms (ticket_id, resolved_at, terms)
      SELECT n.id, n.resolved_at, to_tsvector('simple', n.number || ' ' || n.title || ' ' || n.description)
      FROM similar_new_tickets n WHERE n.kind = 'incident' AND n.state IN ('resolved', 'closed');
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM similar_incident_terms s USING similar_old_tickets o WHERE s.ticket_id = o.id;
  ELSE
    DELETE FROM similar_incident_terms s USING similar_new_tickets n
      WHERE s.ticket_id = n.id AND NOT (n.kind = 'incident' AND n.state IN ('resolved', 'closed'));
    INSERT INTO similar_incident_terms AS s (ticket_id, resolved_at, terms)
      SELECT n.id, n.resolved_at, to_tsvector('simple', n.number || ' ' || n.title || ' ' || n.description)
      FROM similar_old_tickets o JOIN similar_new_tickets n ON n.id = o.id
      WHERE n.kind = 'incident' AND n.state IN ('resolved', 'closed')
        AND (o.kind = 'incident' AND o.state IN ('resolved', 'closed'), o.number, o.title, o.description, o.resolved_at)
          IS DISTINCT FROM (true, n.number, n.title, n.description, n.resolved_at)
      ON CONFLICT (ticket_id) DO UPDATE SET resolved_at = excluded.resolved_at, terms = excluded.terms;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Transition tables allow one event per trigger, hence three.
CREATE TRIGGER similar_incident_terms_on_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS similar_new_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION similar_incident_terms_on_tickets();
--> statement-breakpoint
CREATE TRIGGER similar_incident_terms_on_update AFTER UPDATE ON tickets REFERENCING OLD TABLE AS similar_old_tickets NEW TABLE AS similar_new_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION similar_incident_terms_on_tickets();
--> statement-breakpoint
CREATE TRIGGER similar_incident_terms_on_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS similar_old_tickets
  FOR EACH STATEMENT EXECUTE FUNCTION similar_incident_terms_on_tickets();
--> statement-breakpoint
-- Backfill before the index: building a GIN index over the rows is faster than growing it row by row.
INSERT INTO similar_incident_terms (ticket_id, resolved_at, terms)
  SELECT t.id, t.resolved_at, to_tsvector('simple', t.number || ' ' || t.title || ' ' || t.description)
  FROM tickets t WHERE t.kind = 'incident' AND t.state IN ('resolved', 'closed');
--> statement-breakpoint
CREATE INDEX "similar_incident_terms_idx" ON "similar_incident_terms" USING gin ("terms");
--> statement-breakpoint
-- The narrowing reads the words' shares from this table's statistics (termStatistics).
ANALYZE similar_incident_terms;
