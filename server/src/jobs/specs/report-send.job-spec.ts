import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * A saved report's scheduled e-mail (issue 16) falls due. The id names the report and the instant,
 * so the timer is set once per due time; the run sends only while the report still says that
 * instant is next (an edit or an earlier run moved it), so a run repeated after a crash sends nothing twice.
 */
export const reportSendJob = defineJobSpec({
  kind: 'report.send',
  payload: z.object({ reportId: z.guid(), dueAt: z.iso.datetime() }),
  maxAttempts: 8,
  idOf: (p) => `report.send:${p.reportId}:${p.dueAt}`,
});
