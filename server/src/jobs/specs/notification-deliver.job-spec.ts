import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** Sends one outbox row (an e-mail or a webhook call); batched by the runner, see its definition. */
export const deliverJob = defineJobSpec({
  kind: 'notification.deliver',
  payload: z.object({ notificationId: z.guid() }),
  maxAttempts: 12,
  // One delivery per notification; the failed-work list finds the notification by this id.
  idOf: (p) => `notification.deliver:${p.notificationId}`,
});
