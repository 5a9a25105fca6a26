import { z } from 'zod';
import { RESOLUTION_CODES } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

/** One similar past incident (issue 17, item 8): what it was, how it was resolved, how close. */
export const SimilarIncident = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  service: z.object({ id: Id, name: z.string() }).nullable(),
  resolutionCode: z.enum(RESOLUTION_CODES).nullable(),
  resolutionNotes: z.string().nullable(),
  resolvedAt: Timestamp.nullable(),
  /** In [0, 1]: TF-IDF cosine of title and description, plus a bonus for the same service (README). */
  score: z.number().min(0).max(1),
});
export const SimilarIncidents = z.object({ items: z.array(SimilarIncident) });
