-- Each server process keeps the people its API tokens sign in (services/config-cache.ts), so a
-- request with a token does not read the token and its person again on every call. Whatever can
-- change the answer is announced on `firebreak_config` as 0069's configuration is: a token revoked,
-- renamed, re-scoped or deleted, and any change to a person (deactivated, a new role). Not the
-- token's last use (recorded at most once a minute per token) and not new rows: a token or person
-- not found is never kept, so a new one is read when first used.
CREATE TRIGGER api_tokens_config_change
  AFTER DELETE OR TRUNCATE OR UPDATE OF id, name, user_id, token_hash, prefix, scope, created_at, expires_at, revoked_at ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
--> statement-breakpoint
CREATE TRIGGER users_config_change AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_announce_config_change();
