import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tickets } from './tickets.js';

/**
 * Stakeholder updates (issue 15 items 4–6). The cadence row of an incident says when its next
 * update is due, kept by the ticket-change pipeline (declaration, priority change, an update
 * sent) so the desk queue reads it in one indexed query and the reminder timer can tell whether
 * it is still the due time it was set for.
 */
export const incidentUpdateCadences = pgTable(
  'incident_update_cadences',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    /** Since when the current cadence counts: the declaration, a priority change or a reopening. */
    cadenceSince: timestamp('cadence_since', { withTimezone: true }).notNull(),
    /** The last update sent to stakeholders (public or not). */
    lastUpdateAt: timestamp('last_update_at', { withTimezone: true }),
    /** null: no cadence now (a priority without one, or the incident is no longer open). */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    /** The due times the last "due" and "overdue" reminders were given for: a timer run twice reminds once. */
    remindedFor: timestamp('reminded_for', { withTimezone: true }),
    overdueFor: timestamp('overdue_for', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('incident_update_cadences_due_idx').on(t.nextDueAt)],
);

/**
 * An admin-defined list of people to tell ("IT leadership"): users, whole teams and addresses
 * outside Firebreak. Attached to services, it is proposed on their incidents' updates.
 */
export const stakeholderAudiences = pgTable('stakeholder_audiences', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  userIds: jsonb('user_ids').$type<string[]>().notNull().default([]),
  teamIds: jsonb('team_ids').$type<string[]>().notNull().default([]),
  emails: jsonb('emails').$type<string[]>().notNull().default([]),
  serviceIds: jsonb('service_ids').$type<string[]>().notNull().default([]),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
