import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** Closes a resolved ticket nobody replied to, if it is still in the resolution it was set for. */
export const autoCloseJob = defineJobSpec({
  kind: 'ticket.auto_close',
  payload: z.object({ ticketId: z.guid(), resolvedAt: z.iso.datetime(), days: z.number().positive() }),
  maxAttempts: 8,
  // One timer per resolution: a reopened and re-resolved ticket gets a fresh one.
  idOf: (p) => `ticket.auto_close:${p.ticketId}:${p.resolvedAt}`,
});
