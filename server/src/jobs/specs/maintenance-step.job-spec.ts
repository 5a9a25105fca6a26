import { z } from 'zod';
import { MAINTENANCE_STEPS } from '../../../../core/maintenance.js';
import { defineJobSpec } from '../job-spec.js';

/**
 * A planned maintenance window's timer: the reminder at the lead time, the start, the end. The
 * id names the window, the step and the instant it is for, so several processes (or a retried
 * request) make one row, and moving the window schedules new timers while the old ones find
 * they are stale (core/maintenance.ts `stepOutcome`).
 */
export const maintenanceStepJob = defineJobSpec({
  kind: 'maintenance.step',
  payload: z.object({ maintenanceId: z.guid(), step: z.enum(MAINTENANCE_STEPS), at: z.iso.datetime() }),
  maxAttempts: 12,
  idOf: (p) => `maintenance.step:${p.maintenanceId}:${p.step}:${p.at}`,
});
