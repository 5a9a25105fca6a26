import { pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * "This solved it" on a known error in the portal (issue 17 item 7): who ended a report of theirs
 * with the problem's workaround for requesters, and when they first did. One row per person and
 * problem, so pressing twice is counted once — the same rule as an article's
 * (`kb_article_feedback.solved_at`); the desk's count is the number of rows.
 */
export const knownErrorSolvedBy = pgTable(
  'known_error_solved_by',
  {
    problemId: uuid('problem_id')
      .notNull()
      .references(() => tickets.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    solvedAt: timestamp('solved_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.userId] })],
);
