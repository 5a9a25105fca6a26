-- Major incidents (issue 14): when an incident became major, and the incident a ticket is a
-- child of. Existing tickets are neither.
ALTER TABLE "tickets" ADD COLUMN "major_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_parent_id_tickets_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_parent_idx" ON "tickets" USING btree ("parent_id") WHERE "tickets"."parent_id" IS NOT NULL;