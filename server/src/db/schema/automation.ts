import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AutomationAction, AutomationCondition, AutomationTrigger } from '../../../../core/automation/rules.js';
import { users } from './directory.js';

/**
 * An automation rule (issue 18 item 1). Rules run in `position` order (then id) on every ticket
 * change that is not silent. Trigger, conditions and actions are the core's data as JSON: their
 * shape is checked by the contract on save, and the ids they name by the service (on save and
 * again when the rule runs: a rule whose team or person is gone is disabled with `disabledReason`).
 */
export const automationRules = pgTable(
  'automation_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    stopAfterMatch: boolean('stop_after_match').notNull().default(false),
    trigger: jsonb('trigger').$type<AutomationTrigger>().notNull(),
    conditions: jsonb('conditions').$type<AutomationCondition[]>().notNull(),
    actions: jsonb('actions').$type<AutomationAction[]>().notNull(),
    /** Why Firebreak switched the rule off (a team, person or reply it names is gone); null when an admin did, or it is on. */
    disabledReason: text('disabled_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedById: uuid('updated_by_id').references(() => users.id),
  },
  (t) => [index('automation_rules_position_idx').on(t.position, t.id)],
);
