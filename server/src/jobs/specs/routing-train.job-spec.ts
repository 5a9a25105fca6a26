import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * Trains the learned router on the resolved tickets (issue 18, item 5). The id names the request's
 * instant, so a retried request is one job; training is CPU work with no side effect but one
 * row, so a second try after a crash is harmless.
 */
export const routingTrainJob = defineJobSpec({
  kind: 'routing.train',
  payload: z.object({ requestedAt: z.iso.datetime() }),
  maxAttempts: 2,
  idOf: (p) => `routing.train:${p.requestedAt}`,
});
