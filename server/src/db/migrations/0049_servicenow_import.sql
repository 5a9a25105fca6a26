CREATE TABLE "import_lock" (
	"id" smallint PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imported_records" (
	"source" text NOT NULL,
	"source_number" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"mod_count" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "imported_records_source_source_number_pk" PRIMARY KEY("source","source_number")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "source_attributes" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "external_reference" text;--> statement-breakpoint
ALTER TABLE "imported_records" ADD CONSTRAINT "imported_records_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_external_reference_idx" ON "tickets" USING btree (lower("external_reference")) WHERE "tickets"."external_reference" IS NOT NULL;