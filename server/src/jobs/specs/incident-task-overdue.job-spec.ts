import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** At a response task's due time: if it is still not done, flag it to the incident manager (issue 14). */
export const incidentTaskOverdueJob = defineJobSpec({
  kind: 'incident_task.overdue',
  payload: z.object({ ticketId: z.guid(), taskId: z.guid(), dueAt: z.iso.datetime() }),
  maxAttempts: 8,
  // One timer per due time: a task given a new due time gets a fresh one, the old one finds it moved.
  idOf: (p) => `incident_task.overdue:${p.taskId}:${p.dueAt}`,
});
