CREATE TABLE "refused_alert_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"integration_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" integer NOT NULL,
	"reason" text NOT NULL,
	"field_errors" jsonb NOT NULL,
	"content_type" text,
	"body_bytes" integer,
	"body_excerpt" text,
	"excerpt_truncated" boolean DEFAULT false NOT NULL,
	"request_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "refused_alert_deliveries" ADD CONSTRAINT "refused_alert_deliveries_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refused_alert_deliveries_integration_idx" ON "refused_alert_deliveries" USING btree ("integration_id","seq");--> statement-breakpoint
CREATE INDEX "refused_alert_deliveries_seq_idx" ON "refused_alert_deliveries" USING btree ("seq");