import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** The double opt-in mail: its link is signed when it is sent, so no token is stored. */
export const statusConfirmMailJob = defineJobSpec({
  kind: 'status.confirm_mail',
  payload: z.object({ subscriberId: z.guid(), requestedAt: z.iso.datetime() }),
  maxAttempts: 12,
  idOf: (p) => `status.confirm_mail:${p.subscriberId}:${p.requestedAt}`,
});
