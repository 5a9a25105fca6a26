import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CannedReplyState } from '../../../../core/canned-replies.js';
import type { OnHoldReason, ResolutionCode } from '../../../../core/vocabulary.js';
import { teams, users } from './directory.js';

/**
 * A canned reply (issue 18 item 4). `ownerId` null: shared by the desk (managers and admins
 * keep them); set: one agent's personal reply, invisible to everyone else. The field changes
 * (state, team, assignee) are applied with the reply through the ticket-change pipeline.
 * `version` guards concurrent edits (412 naming `updatedById`).
 */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').references(() => users.id),
    name: text('name').notNull(),
    body: text('body').notNull(),
    visibility: text('visibility').$type<'public' | 'internal'>().notNull(),
    setState: text('set_state').$type<CannedReplyState>(),
    onHoldReason: text('on_hold_reason').$type<OnHoldReason>(),
    resolutionCode: text('resolution_code').$type<ResolutionCode>(),
    setTeamId: uuid('set_team_id').references(() => teams.id),
    setAssigneeId: uuid('set_assignee_id').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedById: uuid('updated_by_id').references(() => users.id),
  },
  (t) => [index('canned_replies_owner_idx').on(t.ownerId)],
);
