import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';
import { tickets } from './tickets.js';
import { webhookSubscriptions } from './webhooks.js';

/**
 * The outbox and delivery log: a notification is a row written in the same transaction as the
 * change that caused it, delivered afterwards by a durable job (`notification.deliver:<id>`)
 * with retries; the job's state says whether it was sent, is retrying, or is dead and why.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Insertion order, for digests of notifications made in the same instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    userId: uuid('user_id').references(() => users.id),
    channel: text('channel', { enum: ['email', 'webhook', 'in_app'] }).notNull(),
    /** An e-mail address, a webhook's URL, or '' for in-app notifications. */
    address: text('address').notNull(),
    webhookId: uuid('webhook_id').references(() => webhookSubscriptions.id),
    /** For webhooks: the event that was sent, as it will be posted. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    reason: text('reason').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** In-app only: when the person marked it read. */
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_ticket_idx').on(t.ticketId, t.createdAt),
    // The bell: a person's in-app notifications, newest first, and the unread count.
    index('notifications_in_app_idx').on(t.userId, t.seq).where(sql`channel = 'in_app'`),
  ],
);
