-- Configuration every ticket write reads (the priority matrix and other settings, SLA policies,
-- active webhook subscriptions, automation rules, teams' fair-assignment strategy, the services
-- tickets are routed by) is cached in
-- each server process. Any statement that changes it announces the table on `firebreak_config`;
-- NOTIFY is transactional, so every process (this one included) hears of it once it commits and
-- drops what it cached from that table. A trigger, not the services, so no writer is missed
-- (restores, imports, psql).
CREATE OR REPLACE FUNCTION firebreak_announce_config_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('firebreak_config', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER settings_config_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER sla_policies_config_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER webhook_subscriptions_config_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER automation_rules_config_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON automation_rules
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
-- Only the strategy is cached: a fair assignment's "whose turn" (last_fair_assignee_id) is read
-- under the team's row lock and must not announce anything.
CREATE TRIGGER teams_config_change AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF assignment_strategy ON teams
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER services_config_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
