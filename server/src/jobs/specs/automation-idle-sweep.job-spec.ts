import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * One page of the sweep that gives open tickets already quiet their idle timer of `hours`, when a
 * rule with that many hours is created, switched on or changed to it (issue 18). `sweep` is the
 * instant the rule was saved and `after` the last ticket id of the previous page (null: the
 * first), so each page of each sweep is one row: a retried page is not scheduled twice.
 */
export const automationIdleSweepJob = defineJobSpec({
  kind: 'automation.idle_sweep',
  payload: z.object({ hours: z.number().int().positive(), sweep: z.iso.datetime(), after: z.guid().nullable() }),
  maxAttempts: 8,
  idOf: (p) => `automation.idle_sweep:${p.hours}:${p.sweep}:${p.after ?? 'first'}`,
});
