import { index, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * People who follow a ticket they did not report: most often a requester who found their
 * problem already known in the portal and chose to follow it instead of reporting it again.
 * They hear of its public updates and its resolution.
 */
export const ticketFollowers = pgTable(
  'ticket_followers',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_followers_user_idx').on(t.userId, t.since)],
);
