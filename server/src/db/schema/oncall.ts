import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { OnCallLayer } from '../../../../core/on-call.js';
import { type EscalationLevel, PAGE_STATES } from '../../../../core/paging.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * On-call schedules (issue 4): a time zone and layers (rotations), bottom first. Layers are one
 * JSON document, validated by core/on-call.ts on every write; participants are user ids.
 */
export const onCallSchedules = pgTable(
  'on_call_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    timeZone: text('time_zone').notNull(),
    layers: jsonb('layers').$type<OnCallLayer[]>().notNull(),
    /** SHA-256 of the iCalendar feed secret; null until one is made. */
    feedTokenHash: text('feed_token_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('on_call_schedules_name_unique').on(sql`lower(${t.name})`)],
);

/** Someone else on call for a while (holiday swap, sick cover). Never overlapping within a schedule. */
export const onCallOverrides = pgTable(
  'on_call_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => onCallSchedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('on_call_overrides_schedule_idx').on(t.scheduleId, t.startsAt)],
);

/** Ordered levels of targets with timeouts, repeated; assigned to teams and services. */
export const escalationPolicies = pgTable(
  'escalation_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    levels: jsonb('levels').$type<EscalationLevel[]>().notNull(),
    repeat: smallint('repeat').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('escalation_policies_name_unique').on(sql`lower(${t.name})`)],
);

/**
 * A page: a policy run for a ticket. `level` and `round` say which step was paged last; the
 * timeout job of that step advances it only if the page is still triggered at that step.
 */
export const pages = pgTable(
  'pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /**
     * The escalation policy it follows. Null only for a response-role page (issue 14) on a ticket
     * whose team and service have no policy: it reaches the role holder and nobody after.
     */
    policyId: uuid('policy_id').references(() => escalationPolicies.id),
    /** A response-role page: this person (the role's new holder) is its first level, before the policy's. */
    personId: uuid('person_id').references(() => users.id),
    state: text('state', { enum: PAGE_STATES }).notNull(),
    message: text('message').notNull(),
    level: integer('level').notNull().default(0),
    round: integer('round').notNull().default(0),
    /** Null: Firebreak paged automatically (a P1). */
    triggeredById: uuid('triggered_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedById: uuid('acknowledged_by_id').references(() => users.id),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('pages_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** Who was paged at each step: they may acknowledge. */
export const pageRecipients = pgTable(
  'page_recipients',
  {
    pageId: uuid('page_id')
      .notNull()
      .references(() => pages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    level: integer('level').notNull(),
    round: integer('round').notNull(),
    pagedAt: timestamp('paged_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.round, t.level, t.userId] }), index('page_recipients_user_idx').on(t.userId)],
);
