-- The public status page (issue 15): which services are shown as components (none until an admin
-- marks them), and manual status overrides with an expiry.
CREATE TABLE "status_overrides" (
	"service_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"set_by_id" uuid,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "on_status_page" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "status_overrides" ADD CONSTRAINT "status_overrides_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_overrides" ADD CONSTRAINT "status_overrides_set_by_id_users_id_fk" FOREIGN KEY ("set_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;