-- The learned router's category decisions are kept beside its team decisions (issue 18): one row
-- per ticket and target, so Admin › Routing can count routed / corrected / suggested / taken for
-- categories as it does for teams. Existing rows are team decisions.
ALTER TABLE "routing_decisions" ADD COLUMN "target" text DEFAULT 'team' NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD COLUMN "category_id" uuid;--> statement-breakpoint
ALTER TABLE "routing_decisions" DROP CONSTRAINT "routing_decisions_pkey";--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_ticket_id_target_pk" PRIMARY KEY("ticket_id","target");--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE set null ON UPDATE no action;
