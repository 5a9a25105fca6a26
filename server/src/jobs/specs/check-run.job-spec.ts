import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** One probe of a built-in check; the check row names the instant its chain is due. */
export const checkRunJob = defineJobSpec({
  kind: 'check.run',
  payload: z.object({ checkId: z.guid() }),
  // A probe that keeps failing to record is soon superseded by the next run anyway.
  maxAttempts: 3,
  idOf: (p, { runAt }) => `check.run:${p.checkId}:${runAt.getTime()}`,
});
