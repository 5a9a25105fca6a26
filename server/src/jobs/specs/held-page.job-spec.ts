import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * Pages a requester-raised P1 still held since `heldSince`: when the admin's delay runs out, or
 * at once when monitoring corroborates it (`corroboratedBy`: the alert's incident number).
 */
export const heldPageJob = defineJobSpec({
  kind: 'page.held',
  payload: z.object({ ticketId: z.guid(), heldSince: z.iso.datetime(), corroboratedBy: z.string().min(1).optional() }),
  maxAttempts: 8,
  // One per hold, and one more per hold for the first corroborating alert.
  idOf: (p) => `page.held:${p.ticketId}:${Date.parse(p.heldSince)}${p.corroboratedBy ? ':alert' : ''}`,
});
