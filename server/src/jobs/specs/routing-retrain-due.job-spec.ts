import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * The learned router's scheduled retraining (issue 18, item 5): an hourly check whether the
 * admin's interval has passed since the newest model. Recurring on the hour grid like
 * `jobs.clean_done`: each run schedules the next, and the id names the hour, so several processes
 * make one chain.
 */
export const routingRetrainDueJob = defineJobSpec({
  kind: 'routing.retrain_due',
  payload: z.object({}),
  maxAttempts: 3,
  idOf: (_p, { runAt }) => `routing.retrain_due:${runAt.toISOString()}`,
});
