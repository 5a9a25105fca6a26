import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * A major incident's next update is due (issue 15): at the due time remind the communications
 * manager; after the grace period tell the incident manager it is overdue.
 */
export const updateReminderJob = defineJobSpec({
  kind: 'incident_update.reminder',
  payload: z.object({ ticketId: z.guid(), dueAt: z.iso.datetime(), stage: z.enum(['due', 'overdue']) }),
  maxAttempts: 8,
  // One timer per due time and stage: an update sent moves the due time, the old timer finds it moved.
  idOf: (p) => `incident_update.reminder:${p.ticketId}:${p.dueAt}:${p.stage}`,
});
