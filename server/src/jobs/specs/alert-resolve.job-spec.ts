import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** Resolves a ticket whose alerts all resolved, once the integration's flapping delay is over. */
export const alertResolveJob = defineJobSpec({
  kind: 'alert.resolve_ticket',
  payload: z.object({ ticketId: z.guid(), integrationId: z.guid() }),
  maxAttempts: 8,
  // Per ticket and the instant its alerts resolved (the id's prefix predates the kind's name).
  idOf: (p, { now }) => `alert-resolve:${p.ticketId}:${now.getTime()}`,
});
