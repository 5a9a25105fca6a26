-- Live updates: every timeline event announces itself on the `firebreak_events` channel.
-- NOTIFY is transactional: listeners hear of an event only once its transaction commits, and
-- every server process on the database hears it (this is how two processes share the live stream).
-- The payload carries what the server needs to decide who may see it, and nothing else.
CREATE OR REPLACE FUNCTION firebreak_announce_timeline_event() RETURNS trigger AS $$
DECLARE
  t record;
BEGIN
  SELECT number, requester_id, reported_by_id, team_id, assignee_id INTO t FROM tickets WHERE id = NEW.ticket_id;
  PERFORM pg_notify('firebreak_events', json_build_object(
    'topic', 'ticket',
    'ticketId', NEW.ticket_id,
    'number', t.number,
    'eventId', NEW.id,
    'type', NEW.type,
    'internal', NEW.internal,
    'requesterId', t.requester_id,
    'reportedById', t.reported_by_id,
    'teamId', t.team_id,
    'assigneeId', t.assignee_id
  )::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER timeline_events_announce AFTER INSERT ON timeline_events
  FOR EACH ROW EXECUTE FUNCTION firebreak_announce_timeline_event();
