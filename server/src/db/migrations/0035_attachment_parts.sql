CREATE TABLE "attachment_parts" (
	"attachment_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "attachment_parts_attachment_id_seq_pk" PRIMARY KEY("attachment_id","seq")
);
--> statement-breakpoint
CREATE INDEX "attachment_parts_created_idx" ON "attachment_parts" USING btree ("created_at");--> statement-breakpoint
-- Existing attachments keep their bytes: cut into the same 256 KiB parts new files are stored in.
INSERT INTO "attachment_parts" ("attachment_id", "seq", "content", "created_at")
SELECT a."id", s.n, substring(a."content" FROM s.n * 262144 + 1 FOR 262144), a."created_at"
FROM "attachments" a, generate_series(0, greatest(0, (length(a."content") - 1) / 262144)) AS s(n);--> statement-breakpoint
ALTER TABLE "attachments" DROP COLUMN "content";
