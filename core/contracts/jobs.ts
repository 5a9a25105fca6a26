import { z } from 'zod';

/** A job that failed on every attempt, with what it was about. */
export const DeadJob = z.object({
  id: z.string(),
  kind: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  runAt: z.string(),
  finishedAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  /** The ticket the work was about, if any. */
  ticketId: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  /** For a notification's delivery: where it was going and what it said. */
  delivery: z.object({ channel: z.string(), address: z.string(), subject: z.string() }).nullable(),
});

export const DeadJobsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(500).optional(),
});

export const DeadJobsPage = z.object({ items: z.array(DeadJob), nextCursor: z.string().nullable() });

/** Either the jobs named, or all failed work at once. */
export const RetryFailedWork = z.union([
  z.strictObject({ ids: z.array(z.string().min(1).max(200)).min(1).max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);

export const RetriedWork = z.object({ retried: z.array(z.string()) });

export const UnsentMail = z.object({ count: z.number().int(), emailOut: z.boolean() });

export const UnsentMailQueued = z.object({ queued: z.number().int() });
