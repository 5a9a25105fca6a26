import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChangeDecision, ChangeOutcome, ChangeRisk, ChangeType } from '../../../../core/changes.js';
import { users } from './directory.js';
import { maintenanceWindows } from './maintenance.js';
import { tickets } from './tickets.js';

/**
 * A change's own data (issue 17): one row per ticket of kind `change`. The ticket holds what every
 * ticket has (title, service, impact, team, assignee, state, timeline); this holds the plan and the
 * marks its stage is read from (core/changes.ts changeStage): submittedAt, approvedAt, outcome.
 */
export const changes = pgTable(
  'changes',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    type: text('type').$type<ChangeType>().notNull(),
    risk: text('risk').$type<ChangeRisk>().notNull(),
    plannedStart: timestamp('planned_start', { withTimezone: true }).notNull(),
    plannedEnd: timestamp('planned_end', { withTimezone: true }).notNull(),
    implementationPlan: text('implementation_plan').notNull().default(''),
    testPlan: text('test_plan').notNull().default(''),
    backoutPlan: text('backout_plan').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    outcome: text('outcome').$type<ChangeOutcome>(),
    /** The planned maintenance it announced on the status page, if any. */
    maintenanceId: uuid('maintenance_id').references(() => maintenanceWindows.id),
  },
  (t) => [
    // The calendar reads changes by window.
    index('changes_window_idx').on(t.plannedStart, t.plannedEnd),
    check('changes_window_ordered', sql`${t.plannedEnd} > ${t.plannedStart}`),
  ],
);

/**
 * A change's approvers and their decisions. Named approvers get a row when named (decision null
 * until they decide); a change naming none is decided by a manager, whose row is written then.
 */
export const changeApprovals = pgTable(
  'change_approvals',
  {
    changeId: uuid('change_id')
      .notNull()
      .references(() => changes.ticketId, { onDelete: 'cascade' }),
    approverId: uuid('approver_id')
      .notNull()
      .references(() => users.id),
    /** Named when the change was planned; false for a manager deciding a change that names no one. */
    named: boolean('named').notNull().default(true),
    decision: text('decision').$type<ChangeDecision>(),
    comment: text('comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.changeId, t.approverId] })],
);

/** Problems and incidents a change fixes or touches; many to many. */
export const changeLinks = pgTable(
  'change_links',
  {
    changeId: uuid('change_id')
      .notNull()
      .references(() => changes.ticketId, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.changeId, t.ticketId] }), index('change_links_ticket_idx').on(t.ticketId)],
);
