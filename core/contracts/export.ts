import { z } from 'zod';
import { ListTicketsQuery } from './tickets.js';

/**
 * An export takes the queue's own filters and sort (the same contract as `GET /api/v1/tickets`),
 * without its page: it streams every ticket that matches.
 */
export const ExportTicketsQuery = ListTicketsQuery.omit({ cursor: true, limit: true }).extend({
  format: z
    .enum(['jsonl', 'csv'], { error: 'must be jsonl (tickets with their timelines) or csv (the queue as a table)' })
    .default('jsonl'),
});
