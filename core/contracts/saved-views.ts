import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/** The queue filters a view may keep: the same names as the ticket list's query. */
export const SAVED_VIEW_FILTERS = ['q', 'priority', 'teamId', 'kind', 'requesterId', 'sort', 'slaBreached', 'rated'] as const;
export const MAX_SAVED_VIEWS = 50;

export const SavedView = z.object({
  id: Id,
  name: z.string(),
  queue: z.string(),
  filters: z.record(z.string(), z.string()),
  createdAt: Timestamp,
});

export const SaveView = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  queue: z.string().regex(/^[a-z-]{1,40}$/, 'must be a queue name such as "unassigned"'),
  filters: z
    .partialRecord(
      z.enum(SAVED_VIEW_FILTERS, { error: `may only hold ${SAVED_VIEW_FILTERS.join(', ')}` }),
      z.string().max(200, 'must be at most 200 characters'),
    )
    .default({}),
});
