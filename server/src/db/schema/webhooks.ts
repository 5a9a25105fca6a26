import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Outgoing webhooks (chat tools, automation): every matching ticket event is POSTed as JSON,
 * signed with HMAC-SHA256 over the timestamp and body. The secret must be kept to sign, so it
 * is stored as given; it is shown once at creation and never listed.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  /** json: Firebreak's own body; slack: `{ text }`, which Slack and compatible chat tools accept. */
  format: text('format', { enum: ['json', 'slack'] }).notNull(),
  /** Timeline event types to send; empty means all public and SLA events. */
  eventTypes: jsonb('event_types').$type<string[]>().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
