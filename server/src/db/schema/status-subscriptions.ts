import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';
import { maintenanceWindows } from './maintenance.js';
import { tickets } from './tickets.js';

/**
 * Who hears of the status page's news (issue 15 #3): people by e-mail (no account; active only
 * once they followed the signed link in the confirmation mail) and systems by webhook (added by
 * staff, signed like the desk's webhooks). `componentIds` empty means every public component.
 */
export const statusSubscribers = pgTable(
  'status_subscribers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: ['email', 'webhook'] }).notNull(),
    /** The e-mail address as normalised (trimmed, lower case), or the webhook's URL. */
    address: text('address').notNull(),
    /** A webhook's name, for the staff who manage it; '' for e-mail. */
    name: text('name').notNull().default(''),
    /** Webhooks only: what each delivery is signed with (shown once, at creation). */
    secret: text('secret'),
    componentIds: uuid('component_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** null: an e-mail subscription still waiting for its confirmation; nothing is sent to it. */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** The last confirmation mail asked for: a burst of subscribe requests sends one. */
    confirmationSentAt: timestamp('confirmation_sent_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('status_subscribers_address_idx').on(t.channel, t.address)],
);

/**
 * One piece of news for subscribers (a public update, an incident starting or resolving): the
 * text is fixed when it is announced, so every subscriber gets the same words. One per event
 * and kind: the fan-out job announcing the same news twice finds it here.
 */
export const statusAnnouncements = pgTable('status_announcements', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The incident it is news of; null for planned maintenance (then `maintenanceId`). */
  ticketId: uuid('ticket_id').references(() => tickets.id),
  maintenanceId: uuid('maintenance_id').references(() => maintenanceWindows.id, { onDelete: 'cascade' }),
  /**
   * `<timeline event id>:<kind>` for an incident, `maintenance:<update id>` for maintenance: one
   * announcement per piece of news, however often it is asked for.
   */
  key: text('key').notNull().unique(),
  /** An incident's news (`update`, `started`, `resolved`), or `maintenance`. */
  kind: text('kind', { enum: ['update', 'started', 'resolved', 'maintenance'] }).notNull(),
  subject: text('subject').notNull(),
  bodyText: text('body_text').notNull(),
  /** The public components the incident affected when announced (who hears of it). */
  componentIds: uuid('component_ids').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * One announcement to one subscriber: the idempotency key of the fan-out (unique per
 * subscriber × announcement), delivered by the job `status.deliver:<id>`.
 */
export const statusDeliveries = pgTable(
  'status_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    announcementId: uuid('announcement_id')
      .notNull()
      .references(() => statusAnnouncements.id, { onDelete: 'cascade' }),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => statusSubscribers.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('status_deliveries_once_idx').on(t.announcementId, t.subscriberId),
    index('status_deliveries_subscriber_idx').on(t.subscriberId),
  ],
);
