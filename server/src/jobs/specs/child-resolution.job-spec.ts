import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/**
 * Resolves the open children of a resolved incident, one batch per job (a storm may have
 * thousands): each batch schedules the next, after the last child it handled.
 */
export const childResolutionJob = defineJobSpec({
  kind: 'incident.resolve_children',
  payload: z.object({ parentId: z.guid(), resolvedAt: z.iso.datetime(), afterId: z.guid().nullable() }),
  maxAttempts: 8,
  // One chain per resolution (a reopened and re-resolved incident gets a fresh one), one job per batch.
  idOf: (p) => `incident.resolve_children:${p.parentId}:${p.resolvedAt}:${p.afterId ?? 'first'}`,
});
