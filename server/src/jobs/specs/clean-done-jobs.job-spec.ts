import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * Deletes done job rows older than the retention. Recurring on the hour grid like the part
 * sweep: each run schedules the next, and the id names the hour, so several processes make one
 * chain.
 */
export const cleanDoneJobsJob = defineJobSpec({
  kind: 'jobs.clean_done',
  payload: z.object({}),
  maxAttempts: 3,
  idOf: (_p, { runAt }) => `jobs.clean_done:${runAt.toISOString()}`,
});
