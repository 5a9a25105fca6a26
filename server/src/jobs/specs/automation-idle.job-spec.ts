import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * A ticket's idle timer (issue 18): `since` is the activity (or creation) that armed it; at the
 * due time, if nothing came after it, the `idle` rules of `hours` business hours run. One timer
 * per ticket, threshold and idle stretch: activity arms a new one, the old one finds it moved.
 */
export const automationIdleJob = defineJobSpec({
  kind: 'automation.idle',
  payload: z.object({ ticketId: z.guid(), hours: z.number().int().positive(), since: z.iso.datetime() }),
  maxAttempts: 8,
  idOf: (p) => `automation.idle:${p.ticketId}:${p.hours}:${p.since}`,
});
