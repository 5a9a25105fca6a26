import { z } from 'zod';
import { SLA_TARGETS } from '../../../../core/sla-policy.js';
import { defineJobSpec } from '../job-spec.js';

/** Records an SLA warning or breach if the recomputed clock says it is really due. */
export const slaCheckJob = defineJobSpec({
  kind: 'sla.check',
  payload: z.object({ ticketId: z.guid(), target: z.enum(SLA_TARGETS), kind: z.enum(['warning', 'breach']) }),
  maxAttempts: 8,
  // The id names the instant, so each timer is set once, and a clock that moved sets a new one.
  idOf: (p, { runAt }) => `sla.check:${p.ticketId}:${p.target}:${p.kind}:${runAt.toISOString()}`,
});
