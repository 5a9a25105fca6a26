import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';

/**
 * Planned maintenance on public components (issue 15 #7). `state` is moved only by the window's
 * timers (start, complete) and by a cancellation, so the page shows what the timers did; the
 * plan's instants are what the timers' ids name, so moving the window makes the old timers stale.
 */
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Public components (services shown on the status page) it puts under maintenance. */
    componentIds: uuid('component_ids').array().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Subscribers are reminded this many minutes before the start (0: no reminder). */
    leadMinutes: integer('lead_minutes').notNull(),
    /** One of core/maintenance.ts MAINTENANCE_STATES. */
    state: text('state', { enum: ['scheduled', 'in_progress', 'completed', 'cancelled'] }).notNull(),
    /** The reminder instant already announced: its timer run again says nothing. */
    remindedFor: timestamp('reminded_for', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('maintenance_windows_ends_at_idx').on(t.endsAt)],
);

/**
 * A window's public history: each piece of news (announced, reminder, changed, started,
 * completed, cancelled) with its words as they were then. Shown on the page and in the
 * Statuspage documents' `incident_updates`; each is announced once to subscribers.
 */
export const maintenanceUpdates = pgTable(
  'maintenance_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    maintenanceId: uuid('maintenance_id')
      .notNull()
      .references(() => maintenanceWindows.id, { onDelete: 'cascade' }),
    /** One of core/maintenance.ts MAINTENANCE_NEWS. */
    news: text('news').notNull(),
    /** The window's state once this news happened. */
    stateAfter: text('state_after').notNull(),
    body: text('body').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('maintenance_updates_window_idx').on(t.maintenanceId, t.at)],
);
