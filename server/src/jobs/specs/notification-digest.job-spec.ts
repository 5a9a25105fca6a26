import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** How long what a requester hears about is gathered into one mail. */
export const DIGEST_WINDOW_MS = 2 * 60_000;

/** Sends everything still unsent to one person about one ticket as one mail, at the end of a window. */
export const digestJob = defineJobSpec({
  kind: 'notification.digest',
  payload: z.object({ ticketId: z.guid(), userId: z.guid() }),
  maxAttempts: 12,
  // One digest per person, ticket and window: every change in the window asks for the same row.
  idOf: (p, { now }) => `notification.digest:${p.ticketId}:${p.userId}:${Math.floor(now.getTime() / DIGEST_WINDOW_MS)}`,
});
