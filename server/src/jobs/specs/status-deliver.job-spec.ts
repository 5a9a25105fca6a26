import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** Sends one announcement to one subscriber (an e-mail or a signed webhook call); batched by the runner. */
export const statusDeliverJob = defineJobSpec({
  kind: 'status.deliver',
  payload: z.object({ deliveryId: z.guid() }),
  maxAttempts: 12,
  // The delivery row is the subscriber × announcement: one job per pair, however often the fan-out runs.
  idOf: (p) => `status.deliver:${p.deliveryId}`,
});
