import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * `held`: work that cannot run as Firebreak is set up and is not a failure — a mail while e-mail
 * out is off. It is kept, not retried and not failed work; an admin sends it once e-mail is on.
 */
export const JOB_STATES = ['pending', 'running', 'done', 'dead', 'held'] as const;

/**
 * Durable timers and background work (DESIGN.md §2): rows claimed with FOR UPDATE SKIP LOCKED.
 * The id is chosen by whoever schedules the job, so scheduling the same timer twice (from two
 * processes, or a retried request) makes one row: `sla-breach:<ticket>:<target>`.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: JOB_STATES }).notNull().default('pending'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    /** While running: when the claim expires and another worker may take the job over. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_due_idx').on(t.runAt).where(sql`state IN ('pending', 'running')`),
    index('jobs_state_idx').on(t.state, t.kind),
    // The hourly clean-up of done rows past their retention (jobs.clean_done).
    index('jobs_done_finished_idx').on(t.finishedAt).where(sql`state = 'done'`),
  ],
);
