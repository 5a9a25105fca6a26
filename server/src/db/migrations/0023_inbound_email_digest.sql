ALTER TABLE "inbound_emails" ADD COLUMN "raw_sha256" text;--> statement-breakpoint
CREATE INDEX "inbound_emails_raw_sha256_idx" ON "inbound_emails" USING btree ("raw_sha256");