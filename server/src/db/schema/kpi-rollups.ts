import { sql } from 'drizzle-orm';
import { date, index, integer, numeric, pgTable, smallint, unique, uuid } from 'drizzle-orm/pg-core';
import { ticketKindEnum } from './enums.js';

/**
 * Per-day rollups of the KPI facts (issue 16): for each UTC day and each combination of the
 * dimensions a report filters on, the counts and duration sums the dashboard adds up, so a
 * 12-month report reads a few thousand rows instead of every ticket. Derived data: a trigger on
 * `tickets` and `satisfaction_ratings` (migration 0058) keeps it in the writer's own transaction,
 * whoever the writer is; migration 0058 filled it from the tickets. Each ticket adds to the row of
 * the day it was opened (created, open by state), first answered (acknowledged) and resolved.
 * No foreign keys: a rollup row names a team or service, it does not own it.
 */
export const kpiDailyRollups = pgTable(
  'kpi_daily_rollups',
  {
    /** The UTC day of the instant counted (opened, first response, resolution, rating). */
    day: date('day', { mode: 'string' }).notNull(),
    teamId: uuid('team_id'),
    serviceId: uuid('service_id'),
    categoryId: uuid('category_id'),
    subcategoryId: uuid('subcategory_id'),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    // By opened day.
    created: integer('created').notNull().default(0),
    openNew: integer('open_new').notNull().default(0),
    openAssigned: integer('open_assigned').notNull().default(0),
    openInProgress: integer('open_in_progress').notNull().default(0),
    openOnHold: integer('open_on_hold').notNull().default(0),
    // By first-response day. Sums are numeric: exact, so adding and taking away never drifts.
    acknowledged: integer('acknowledged').notNull().default(0),
    acknowledgeMs: numeric('acknowledge_ms').notNull().default('0'),
    businessAcknowledged: integer('business_acknowledged').notNull().default(0),
    businessAcknowledgeMs: numeric('business_acknowledge_ms').notNull().default('0'),
    // By resolution day (resolved or closed after a resolution).
    resolved: integer('resolved').notNull().default(0),
    resolveMs: numeric('resolve_ms').notNull().default('0'),
    businessResolved: integer('business_resolved').notNull().default(0),
    businessResolveMs: numeric('business_resolve_ms').notNull().default('0'),
    firstContact: integer('first_contact').notNull().default(0),
    reassigned: integer('reassigned').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
    slaMet: integer('sla_met').notNull().default(0),
    slaBreached: integer('sla_breached').notNull().default(0),
    // By rating day.
    rated1: integer('rated_1').notNull().default(0),
    rated2: integer('rated_2').notNull().default(0),
    rated3: integer('rated_3').notNull().default(0),
    rated4: integer('rated_4').notNull().default(0),
    rated5: integer('rated_5').notNull().default(0),
  },
  (t) => [
    // One row per day and dimensions; a missing team or service is a dimension value of its own.
    unique('kpi_daily_rollups_key').on(t.day, t.teamId, t.serviceId, t.categoryId, t.subcategoryId, t.priority, t.kind).nullsNotDistinct(),
    index('kpi_daily_rollups_team_day_idx').on(t.teamId, t.day),
    // Open work and backlog age read only the (recent, few) rows that still hold open tickets.
    index('kpi_daily_rollups_open_idx')
      .on(t.day)
      .where(sql`(${t.openNew} + ${t.openAssigned} + ${t.openInProgress} + ${t.openOnHold}) > 0`),
  ],
);
