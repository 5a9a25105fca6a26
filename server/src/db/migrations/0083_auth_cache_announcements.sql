-- Each server process keeps the people its API tokens and session cookies sign in
-- (services/config-cache.ts), so a signed-in request does not read its token or session and its
-- person again on every call. Whatever can change the answer is announced on `firebreak_config` as
-- 0069's configuration is: a token revoked, renamed, re-scoped or deleted, a session ended (signed
-- out, expired sessions cleared, a password changed, a back-channel logout), and any change to a
-- person (deactivated, a new role). Not the token's last use (recorded at most once a minute per
-- token) and not new rows: a token, session or person not found is never kept, so a new one is
-- read when first used.
CREATE TRIGGER api_tokens_config_change
  AFTER DELETE OR TRUNCATE OR UPDATE OF id, name, user_id, token_hash, prefix, scope, created_at, expires_at, revoked_at ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER users_config_change AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
-- Every sign-in clears the expired sessions first: only a DELETE that ended a session announces,
-- or each sign-in would drop what every process keeps.
CREATE FUNCTION firebreak_announce_sessions_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ended_sessions) THEN PERFORM pg_notify('firebreak_config', 'sessions'); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_ended_config_change AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS ended_sessions FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_sessions_ended();
--> statement-breakpoint
CREATE TRIGGER sessions_config_change AFTER UPDATE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
