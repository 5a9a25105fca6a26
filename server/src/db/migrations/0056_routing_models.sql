CREATE TABLE "routing_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text NOT NULL,
	"format" integer NOT NULL,
	"reason" text,
	"team_header" jsonb,
	"team_weights" "bytea",
	"category_header" jsonb,
	"category_weights" "bytea",
	"evaluation" jsonb,
	"trained_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "routing_models_trained_idx" ON "routing_models" USING btree ("trained_at");