-- Partial number, name and e-mail search: substring matches served by trigram indexes.
-- pg_trgm ships with PostgreSQL (a trusted extension) and with PGlite (loaded in db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TYPE "public"."channel" ADD VALUE 'walk_in';--> statement-breakpoint
CREATE INDEX "users_name_trgm_idx" ON "users" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_email_trgm_idx" ON "users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_number_trgm_idx" ON "tickets" USING gin ("number" gin_trgm_ops);