-- The hourly clean-up of done jobs (jobs.clean_done) finds rows past their retention by finish time
-- without reading every done row: a partial index on finished_at of done rows only.
CREATE INDEX "jobs_done_finished_idx" ON "jobs" USING btree ("finished_at") WHERE state = 'done';
