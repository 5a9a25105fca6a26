import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * Removes the parts of uploads that died with their process. Recurring: each run schedules the
 * next; the id names the run's instant, which is on a fixed grid, so every process asking for
 * "this hour's sweep" asks for the same row.
 */
export const attachmentPartSweepJob = defineJobSpec({
  kind: 'attachment.sweep_parts',
  payload: z.object({}),
  maxAttempts: 3,
  idOf: (_p, { runAt }) => `attachment.sweep_parts:${runAt.toISOString()}`,
});
