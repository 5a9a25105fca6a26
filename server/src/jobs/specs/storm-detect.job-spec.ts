import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** How long reports on one service gather before the storm detector looks at them: the debounce. */
export const STORM_DEBOUNCE_MS = 1_000;

/**
 * Looks for storms among the window's reports, on every service and by words. Every new report
 * asks for it; the id names only the debounce bucket, so however many reports arrive, on however
 * many services, it runs at most once a second.
 */
export const stormDetectJob = defineJobSpec({
  kind: 'storm.detect',
  payload: z.object({}),
  maxAttempts: 3,
  idOf: (_p, { runAt }) => `storm.detect:${runAt.getTime()}`,
});
