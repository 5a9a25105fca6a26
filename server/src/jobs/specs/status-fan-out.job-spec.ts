import { z } from 'zod';
import { ANNOUNCEMENT_KINDS } from '../../../../core/ticket-follow-ups.js';
import { defineJobSpec } from '../job-spec.js';

/**
 * Turns one piece of status page news into one delivery per subscriber who hears of it. Asked
 * for in the ticket change's transaction, so news exists exactly when the change committed.
 */
export const statusFanOutJob = defineJobSpec({
  kind: 'status.fan_out',
  payload: z.object({ ticketId: z.guid(), eventId: z.number().int(), what: z.enum(ANNOUNCEMENT_KINDS) }),
  maxAttempts: 12,
  idOf: (p) => `status.fan_out:${p.eventId}:${p.what}`,
});
