import type { Db } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { cleanDoneJobsJob } from '../jobs/specs/clean-done-jobs.job-spec.js';
import { deleteDoneJobsBefore } from '../repositories/jobs.repository.js';
import { readSetting } from '../repositories/settings.repository.js';
import type { ServiceDeps } from './deps.js';

/**
 * Done job rows are kept for a while — for looking into what ran, and because a job's id is what
 * makes asking twice for one timer a single row — then deleted by an hourly job, so the table
 * does not grow with every notification ever sent. Dead rows are kept: they are Failed work until
 * an admin puts them back. Held, pending and running rows are work still to do.
 *
 * Deleting a done row frees its id. Every job kind's id names an instant or a record that is
 * not asked for again days later (a delivery, a timer's instant, an hour of a sweep), which is
 * why a retention of days is safe; a new kind whose id could be asked for again weeks later must
 * say so here.
 */
const SETTING = 'done_job_retention_days';
export const DEFAULT_DONE_JOB_RETENTION_DAYS = 7;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Rows per DELETE: each statement stays short, however many rows a first clean-up finds. */
const DELETE_BATCH = 5_000;

/** The retention in days; a missing or unusable setting (not a number of at least 1) is the default. */
export async function getDoneJobRetentionDays(db: Db): Promise<number> {
  const days = await readSetting<unknown>(db, SETTING);
  return typeof days === 'number' && Number.isFinite(days) && days >= 1 ? days : DEFAULT_DONE_JOB_RETENTION_DAYS;
}

const hourSlot = (at: Date, hoursAhead: number) => new Date((Math.floor(at.getTime() / HOUR_MS) + hoursAhead) * HOUR_MS);

/** Called at every start: asks for this hour's clean-up (a no-op if it ran or waits), so the chain exists. */
export async function scheduleDoneJobCleanup(deps: ServiceDeps): Promise<void> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, cleanDoneJobsJob, {}, { runAt: hourSlot(now, 0), now });
}

/** The job: schedules the next hour's run first (a failing run does not end the chain), then deletes. */
export async function runDoneJobCleanup(deps: ServiceDeps): Promise<{ deleted: number; retentionDays: number }> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, cleanDoneJobsJob, {}, { runAt: hourSlot(now, 1), now });
  const retentionDays = await getDoneJobRetentionDays(deps.db);
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  for (;;) {
    const n = await deleteDoneJobsBefore(deps.db, before, DELETE_BATCH);
    deleted += n;
    if (n < DELETE_BATCH) return { deleted, retentionDays };
  }
}
