import { date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ActionItemPriority, ActionItemState, ReviewSections, ReviewState } from '../../../../core/incident-review.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * A post-incident review (issue 17): one per incident, drafted from its timeline, its sections
 * edited by the team, draft → in review → published. `version` guards concurrent edits (412
 * naming `updatedById`, as tickets do).
 */
export const incidentReviews = pgTable('incident_reviews', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id')
    .notNull()
    .unique()
    .references(() => tickets.id),
  state: text('state').$type<ReviewState>().notNull().default('draft'),
  sections: jsonb('sections').$type<ReviewSections>().notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdById: uuid('created_by_id').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedById: uuid('updated_by_id').references(() => users.id),
  version: integer('version').notNull().default(1),
});

/**
 * What a review decided to change: an owner, a due date (a local date in the owner's time zone),
 * reminders before and on that date (each sent once: `remindedBeforeAt`, `remindedDueAt`).
 */
export const actionItems = pgTable(
  'action_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    reviewId: uuid('review_id').references(() => incidentReviews.id),
    /** The problem this action item feeds (issue 17), when it became one; null otherwise. */
    problemId: uuid('problem_id').references(() => tickets.id),
    title: text('title').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    priority: text('priority').$type<ActionItemPriority>().notNull().default('medium'),
    state: text('state').$type<ActionItemState>().notNull().default('open'),
    remindedBeforeAt: timestamp('reminded_before_at', { withTimezone: true }),
    remindedDueAt: timestamp('reminded_due_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedById: uuid('updated_by_id').references(() => users.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('action_items_ticket_idx').on(t.ticketId, t.createdAt), index('action_items_owner_idx').on(t.ownerId, t.state, t.dueOn)],
);
