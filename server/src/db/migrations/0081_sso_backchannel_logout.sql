-- Back-channel logout: a single sign-on session remembers the provider's session id (`sid`), so a
-- logout token for that provider session ends exactly the matching Firebreak session.
ALTER TABLE "sessions" ADD COLUMN "oidc_session_id" text;--> statement-breakpoint
CREATE INDEX "sessions_oidc_session_idx" ON "sessions" USING btree ("oidc_session_id");
