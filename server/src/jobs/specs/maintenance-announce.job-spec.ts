import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** One piece of maintenance news to every subscriber of its components (a delivery each). */
export const maintenanceAnnounceJob = defineJobSpec({
  kind: 'maintenance.announce',
  payload: z.object({ updateId: z.guid() }),
  maxAttempts: 12,
  idOf: (p) => `maintenance.announce:${p.updateId}`,
});
