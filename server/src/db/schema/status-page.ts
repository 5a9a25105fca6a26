import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { services, users } from './directory.js';

/**
 * A status an admin or manager sets by hand on a public component, until a time: they know
 * better than the ticket data (a fix being verified, an outage nobody has reported yet).
 */
export const statusOverrides = pgTable('status_overrides', {
  serviceId: uuid('service_id')
    .primaryKey()
    .references(() => services.id, { onDelete: 'cascade' }),
  /** One of core/status-page.ts COMPONENT_STATUSES. */
  status: text('status').notNull(),
  until: timestamp('until', { withTimezone: true }).notNull(),
  reason: text('reason').notNull(),
  setById: uuid('set_by_id').references(() => users.id),
  setAt: timestamp('set_at', { withTimezone: true }).notNull(),
});
