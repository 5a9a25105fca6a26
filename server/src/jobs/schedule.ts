import type { Db } from '../db/client.js';
import { insertJobs } from '../repositories/jobs.repository.js';
import type { JobSpec, JobTiming, PayloadOf } from './job-spec.js';

/**
 * Schedules a job of one kind in the caller's transaction: `scheduleJob(tx, slaCheckJob, payload,
 * { runAt, now })`. The payload's type comes from the spec, so a wrong shape does not compile; the
 * id and the attempts come from the spec too, so every caller schedules a kind the same way.
 */
export async function scheduleJob<J extends JobSpec>(db: Db, spec: J, payload: PayloadOf<J>, timing: JobTiming): Promise<boolean> {
  return (await scheduleJobs(db, spec, [{ payload, runAt: timing.runAt }], timing.now)).length > 0;
}

/**
 * `scheduleJob` for many jobs of one kind, in one statement (ids that exist are left as they are).
 * Answers the ids it inserted; `scheduleJob` answers whether it inserted (false: the job was there).
 */
export async function scheduleJobs<J extends JobSpec>(
  db: Db,
  spec: J,
  jobs: readonly { payload: PayloadOf<J>; runAt: Date }[],
  now: Date,
): Promise<string[]> {
  return insertJobs(
    db,
    jobs.map(({ payload, runAt }) => ({
      id: spec.idOf(payload, { runAt, now }),
      kind: spec.kind,
      payload,
      runAt,
      maxAttempts: spec.maxAttempts,
    })),
    now,
  );
}
