-- The timeline is the audit trail: the database refuses to rewrite or remove an entry,
-- whatever the application does. (TRUNCATE is refused too.)
CREATE FUNCTION firebreak_refuse_timeline_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'timeline events are append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER timeline_events_append_only
  BEFORE UPDATE OR DELETE ON timeline_events
  FOR EACH ROW EXECUTE FUNCTION firebreak_refuse_timeline_change();
--> statement-breakpoint
CREATE TRIGGER timeline_events_no_truncate
  BEFORE TRUNCATE ON timeline_events
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_refuse_timeline_change();
--> statement-breakpoint
-- Ticket numbers per kind. A sequence never hands out the same value twice, even when the
-- transaction that took it rolls back (that leaves a gap, never a repeat), and it does not
-- serialise concurrent creations the way a counter row would.
CREATE SEQUENCE ticket_number_incident;
--> statement-breakpoint
CREATE SEQUENCE ticket_number_service_request;
