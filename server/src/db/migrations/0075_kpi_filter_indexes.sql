-- Reports filtered by service or category (issue 16, the dashboard at a million tickets). The
-- rollups by every dimension (0058, 0062) hold about a row per ticket and day or month at a million
-- tickets, and were read by the period's days (their key's lead): every row of the period, the
-- filter tested on each. These indexes read only the service's or category's rows (a category
-- filter matches the category or subcategory: a BitmapOr of two).
CREATE INDEX "kpi_daily_rollups_service_day_idx" ON "kpi_daily_rollups" USING btree ("service_id","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_rollups_category_day_idx" ON "kpi_daily_rollups" USING btree ("category_id","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_rollups_subcategory_day_idx" ON "kpi_daily_rollups" USING btree ("subcategory_id","day");--> statement-breakpoint
CREATE INDEX "kpi_monthly_duration_buckets_service_idx" ON "kpi_monthly_duration_buckets" USING btree ("service_id","duration","month");--> statement-breakpoint
CREATE INDEX "kpi_monthly_duration_buckets_category_idx" ON "kpi_monthly_duration_buckets" USING btree ("category_id","duration","month");--> statement-breakpoint
CREATE INDEX "kpi_monthly_duration_buckets_subcategory_idx" ON "kpi_monthly_duration_buckets" USING btree ("subcategory_id","duration","month");--> statement-breakpoint
-- Created vs resolved of one service in a zone whose days are not UTC days is read per ticket (the
-- quarter-hour rollups hold team, priority and kind only): its resolutions by service and time, with
-- what the other filters test, without a heap visit. Its creations have tickets_service_opened_idx.
CREATE INDEX "tickets_service_resolved_idx" ON "tickets" USING btree ("service_id", "resolved_at") INCLUDE ("state", "team_id", "priority", "kind") WHERE "resolved_at" IS NOT NULL;
