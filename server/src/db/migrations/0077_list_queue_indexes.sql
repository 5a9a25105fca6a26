-- The desk's queues by the order they show (issue 19, bench/lists.ts): "Assigned to me" by priority,
-- "Recently resolved" by last change. See the schema's comments.
CREATE INDEX "tickets_open_assignee_priority_idx" ON "tickets" USING btree ("assignee_id","priority","opened_at","id") WHERE "tickets"."assignee_id" IS NOT NULL AND "tickets"."state" IN ('new', 'assigned', 'in_progress', 'on_hold');--> statement-breakpoint
CREATE INDEX "tickets_finished_updated_idx" ON "tickets" USING btree ("updated_at","id") WHERE "tickets"."state" IN ('resolved', 'closed');
