-- The public status page is recomputed when what it shows changes (issue 15). Ticket changes are
-- announced already (every timeline event, migrations 0012 and 0070); this announces the other
-- tables the page is read from on the same channel, once per statement, so every process (this
-- one included, and PGlite's one) recomputes its page when the change commits instead of polling
-- a fingerprint. A trigger, not the services, so no writer is missed (restores, psql).
CREATE FUNCTION firebreak_announce_status_page_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('firebreak_events', json_build_object('topic', 'status-page', 'table', TG_TABLE_NAME)::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER services_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();--> statement-breakpoint
CREATE TRIGGER service_dependencies_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_dependencies
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();--> statement-breakpoint
CREATE TRIGGER status_overrides_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON status_overrides
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();--> statement-breakpoint
CREATE TRIGGER settings_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();--> statement-breakpoint
CREATE TRIGGER maintenance_windows_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_windows
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();--> statement-breakpoint
CREATE TRIGGER maintenance_updates_status_page_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_updates
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_status_page_change();
