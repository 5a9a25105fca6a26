import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { services, users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * A storm the desk is asked about (issue 14): "11 reports and 2 alerts on VPN in 5 minutes —
 * declare a major incident?". One open proposal per cluster (`cluster_key`: the service it is
 * named after, or `text:` and the words of a storm on no service); the detection job keeps its
 * counts current while it is open. Dismissed or declared, it stays as the record of the decision.
 */
export const stormProposals = pgTable(
  'storm_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clusterKey: text('cluster_key').notNull(),
    serviceId: uuid('service_id').references(() => services.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['open', 'dismissed', 'declared'] }).notNull(),
    reportCount: integer('report_count').notNull(),
    alertCount: integer('alert_count').notNull(),
    /** Whether the storm's scope holds more services than the one it is named after. */
    widerScope: boolean('wider_scope').notNull().default(false),
    /** A report's title (the storm's words when it has no service). */
    sampleTitle: text('sample_title').notNull(),
    /** The tickets of the storm, oldest first (at most 200): what declaring links. */
    ticketIds: jsonb('ticket_ids').$type<string[]>().notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    /** When the count reached the threshold (the newest arrival then), and when the proposal was raised. */
    crossedAt: timestamp('crossed_at', { withTimezone: true }).notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedById: uuid('decided_by_id').references(() => users.id),
    dismissReason: text('dismiss_reason'),
    /** The major incident declared from it. */
    incidentId: uuid('incident_id').references(() => tickets.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('storm_proposals_open_cluster_unique').on(t.clusterKey).where(sql`status = 'open'`),
    index('storm_proposals_cluster_decided_idx').on(t.clusterKey, t.decidedAt),
    index('storm_proposals_raised_idx').on(t.raisedAt, t.id),
  ],
);

/**
 * A requester's rating of how their ticket was handled (issue 14, item 10): one per ticket,
 * changeable for a week after it was first given.
 */
export const satisfactionRatings = pgTable(
  'satisfaction_ratings',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    rating: smallint('rating').notNull(),
    comment: text('comment').notNull().default(''),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('satisfaction_rating_range', sql`${t.rating} BETWEEN 1 AND 5`),
    index('satisfaction_ratings_answered_idx').on(t.answeredAt, t.ticketId),
  ],
);
