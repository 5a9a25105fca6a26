import { sql } from 'drizzle-orm';
import { date, index, integer, numeric, pgEnum, pgTable, smallint, unique, uuid } from 'drizzle-orm/pg-core';
import { ticketKindEnum } from './enums.js';

/**
 * What a daily rollup row counts (issue 16). Each ticket adds to the row of the UTC day it was
 * opened (created, open by state), first answered (acknowledged), resolved, and rated. Sums of
 * milliseconds are numeric: exact, so adding and taking away again never drifts.
 */
function measures() {
  return {
    /** The UTC day of the instant counted (opened, first response, resolution, rating). */
    day: date('day', { mode: 'string' }).notNull(),
    teamId: uuid('team_id'),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    ...counters(),
  };
}

function counters() {
  return {
    // By opened day.
    created: integer('created').notNull().default(0),
    openNew: integer('open_new').notNull().default(0),
    openAssigned: integer('open_assigned').notNull().default(0),
    openInProgress: integer('open_in_progress').notNull().default(0),
    openOnHold: integer('open_on_hold').notNull().default(0),
    // By first-response day.
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
  };
}

/**
 * Per-day rollups of the KPI facts by team, priority and kind: the dashboard as most people open it
 * (every team or their own, maybe some priorities), a few rows a day whatever the desk's size.
 * Derived data: triggers on `tickets` and `satisfaction_ratings` (migration 0058) keep it in the
 * writer's own transaction, whoever the writer is; migration 0058 filled it from the tickets.
 * No foreign keys: a rollup row names a team, it does not own it.
 */
export const kpiDailyTeamRollups = pgTable('kpi_daily_team_rollups', measures(), (t) => [
  // A ticket without a team is a dimension value of its own.
  unique('kpi_daily_team_rollups_key').on(t.day, t.teamId, t.priority, t.kind).nullsNotDistinct(),
  // Open work and backlog age read only the (recent, few) rows that still hold open tickets.
  index('kpi_daily_team_rollups_open_idx')
    .on(t.day)
    .where(sql`(${t.openNew} + ${t.openAssigned} + ${t.openInProgress} + ${t.openOnHold}) > 0`),
  // A team's rows of the period (migration 0082): its dashboard read every team's rows of the year.
  index('kpi_daily_team_rollups_team_day_idx').on(t.teamId, t.day),
]);

/**
 * The same by every dimension a report filters on (team, service, category, subcategory,
 * priority, kind), for reports filtered by service or category: more rows (a row per day and
 * combination in use), still far fewer than tickets over a year.
 */
export const kpiDailyRollups = pgTable(
  'kpi_daily_rollups',
  { ...measures(), serviceId: uuid('service_id'), categoryId: uuid('category_id'), subcategoryId: uuid('subcategory_id') },
  (t) => [
    unique('kpi_daily_rollups_key').on(t.day, t.teamId, t.serviceId, t.categoryId, t.subcategoryId, t.priority, t.kind).nullsNotDistinct(),
    index('kpi_daily_rollups_team_day_idx').on(t.teamId, t.day),
    // A report filtered by service or category reads that value's rows of the period, not every
    // row of the period (about a row per ticket and day at a million tickets; migration 0075).
    index('kpi_daily_rollups_service_day_idx').on(t.serviceId, t.day),
    index('kpi_daily_rollups_category_day_idx').on(t.categoryId, t.day),
    index('kpi_daily_rollups_subcategory_day_idx').on(t.subcategoryId, t.day),
    index('kpi_daily_rollups_open_idx')
      .on(t.day)
      .where(sql`(${t.openNew} + ${t.openAssigned} + ${t.openInProgress} + ${t.openOnHold}) > 0`),
  ],
);

/**
 * Which duration a histogram counts: time to acknowledge or to resolve, wall-clock or in business
 * hours (the KPI facts on the ticket row).
 */
export const KPI_DURATIONS = ['acknowledge', 'business_acknowledge', 'resolve', 'business_resolve'] as const;
export const kpiDurationEnum = pgEnum('kpi_duration', KPI_DURATIONS);

/**
 * A histogram row: how many tickets whose duration ended in the UTC month, under the dimensions,
 * took a time in the bucket (core/kpis/duration-buckets.ts), and the sum of those times (numeric:
 * exact, so adding and taking away never drifts).
 */
function durationBucketColumns() {
  return {
    /** The first day of the UTC month the duration ended in (first response, resolution). */
    month: date('month', { mode: 'string' }).notNull(),
    teamId: uuid('team_id'),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    duration: kpiDurationEnum('duration').notNull(),
    bucket: smallint('bucket').notNull(),
    count: integer('count').notNull().default(0),
    totalMs: numeric('total_ms').notNull().default('0'),
  };
}

/**
 * Duration histograms beside the daily rollups (migration 0062), by the same dimensions as
 * kpi_daily_team_rollups: per UTC month, how many tickets answered or resolved in it took a time
 * in each log-spaced bucket, so a median reads these counts and then only the tickets of the bucket
 * that holds it. By month, not day: a day's histogram of a team and priority holds a few tickets,
 * so it would have about as many rows as there are tickets. Kept by the rollups' triggers; only
 * buckets in use have a row.
 */
export const kpiMonthlyTeamDurationBuckets = pgTable('kpi_monthly_team_duration_buckets', durationBucketColumns(), (t) => [
  unique('kpi_monthly_team_duration_buckets_key').on(t.month, t.duration, t.teamId, t.priority, t.kind, t.bucket).nullsNotDistinct(),
  // A team's histograms of the period (migration 0082), as kpi_daily_team_rollups_team_day_idx.
  index('kpi_monthly_team_duration_buckets_team_idx').on(t.teamId, t.duration, t.month),
]);

/** The same by every dimension a report filters on, as kpi_daily_rollups. */
export const kpiMonthlyDurationBuckets = pgTable(
  'kpi_monthly_duration_buckets',
  { ...durationBucketColumns(), serviceId: uuid('service_id'), categoryId: uuid('category_id'), subcategoryId: uuid('subcategory_id') },
  (t) => [
    unique('kpi_monthly_duration_buckets_key')
      .on(t.month, t.duration, t.teamId, t.serviceId, t.categoryId, t.subcategoryId, t.priority, t.kind, t.bucket)
      .nullsNotDistinct(),
    // As kpi_daily_rollups' (migration 0075): a service's or category's rows of the period.
    index('kpi_monthly_duration_buckets_service_idx').on(t.serviceId, t.duration, t.month),
    index('kpi_monthly_duration_buckets_category_idx').on(t.categoryId, t.duration, t.month),
    index('kpi_monthly_duration_buckets_subcategory_idx').on(t.subcategoryId, t.duration, t.month),
  ],
);

/**
 * Created and resolved per UTC day by quarter hour (migration 0071), for the created-vs-resolved
 * series in a time zone whose days are not UTC days: every zone's midnight falls on a quarter hour
 * (Kolkata is +5:30, Kathmandu +5:45), so a local day is the quarters of one or two UTC days it
 * covers, counted exactly. Running totals: element i + 1 (arrays start at 1) counts the tickets of
 * the day before quarter i (element 1 is 0, element 97 the whole day), so the count between two
 * quarters is one subtraction per row, and a report reads a row per UTC day and team, priority and
 * kind, whatever the desk's size. Kept by a statement-level trigger of its own.
 */
export const kpiDailyQuarterRollups = pgTable(
  'kpi_daily_quarter_rollups',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamId: uuid('team_id'),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    /** Opened before each quarter hour of the day (97 running totals). */
    createdRunning: integer('created_running').array().notNull(),
    /** Resolved (resolved or closed after a resolution) before each quarter hour of the day. */
    resolvedRunning: integer('resolved_running').array().notNull(),
  },
  (t) => [unique('kpi_daily_quarter_rollups_key').on(t.day, t.teamId, t.priority, t.kind).nullsNotDistinct()],
);

/**
 * Tickets not yet counted in any rollup (migration 0074). An import's transaction sets
 * `firebreak.defer_rollups` to 'on': its new tickets are listed here (in the same transaction)
 * instead of being added by the rollup triggers, and `kpi_rollups_drain_pending` adds them all at
 * once later, one grouped upsert per rollup table. While listed, a ticket is left out by every
 * rollup trigger (its changes, its ratings, its deletion): the drain counts it as it then stands.
 */
export const kpiPendingTickets = pgTable('kpi_pending_tickets', {
  ticketId: uuid('ticket_id').primaryKey(),
});

/**
 * Which slice of the desk a dimension rollup row counts (migration 0082): the whole desk (every
 * team), one service, or one category — a ticket counts under its category and, when it has a
 * different one, under its subcategory too, as a report filtered by a category selects both.
 */
export const KPI_DIMENSIONS = ['desk', 'service', 'category'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];
export const kpiDimensionEnum = pgEnum('kpi_dimension', KPI_DIMENSIONS);

/** The slice a dimension rollup row counts: the dimension and its value (null for the desk). */
function slice() {
  return {
    dimension: kpiDimensionEnum('dimension').notNull(),
    dimensionId: uuid('dimension_id'),
  };
}

/**
 * Small rollups for the reports that do not filter by team (a manager's dashboard of the whole
 * desk, of one service or of one category), by priority and kind only (migration 0082). The
 * rollups above are keyed by team (the whole desk is then every team's rows: 8× the rows) or by
 * every dimension at once (about a row per ticket and day at a million tickets, so a service's
 * year is ~50,000 rows); these hold a row per slice, day, priority and kind. Kept by their own
 * triggers under migration 0074's contract; rows equal the rows by every dimension summed per slice.
 */
export const kpiDailyDimensionRollups = pgTable(
  'kpi_daily_dimension_rollups',
  {
    ...slice(),
    day: date('day', { mode: 'string' }).notNull(),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    ...counters(),
  },
  (t) => [
    unique('kpi_daily_dimension_rollups_key').on(t.dimension, t.dimensionId, t.day, t.priority, t.kind).nullsNotDistinct(),
    // Open work and backlog age: the slice's rows that still hold open tickets.
    index('kpi_daily_dimension_rollups_open_idx')
      .on(t.dimension, t.dimensionId, t.day)
      .where(sql`(${t.openNew} + ${t.openAssigned} + ${t.openInProgress} + ${t.openOnHold}) > 0`),
  ],
);

/** The duration histograms (as kpi_monthly_team_duration_buckets) per slice, month, priority and kind. */
export const kpiMonthlyDimensionDurationBuckets = pgTable(
  'kpi_monthly_dimension_duration_buckets',
  {
    ...slice(),
    month: date('month', { mode: 'string' }).notNull(),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    duration: kpiDurationEnum('duration').notNull(),
    bucket: smallint('bucket').notNull(),
    count: integer('count').notNull().default(0),
    totalMs: numeric('total_ms').notNull().default('0'),
  },
  (t) => [
    unique('kpi_monthly_dimension_duration_buckets_key')
      .on(t.dimension, t.dimensionId, t.duration, t.month, t.priority, t.kind, t.bucket)
      .nullsNotDistinct(),
  ],
);

/** The quarter-hour running totals (as kpi_daily_quarter_rollups) per slice, UTC day, priority and kind. */
export const kpiDailyDimensionQuarterRollups = pgTable(
  'kpi_daily_dimension_quarter_rollups',
  {
    ...slice(),
    day: date('day', { mode: 'string' }).notNull(),
    priority: smallint('priority').notNull(),
    kind: ticketKindEnum('kind').notNull(),
    createdRunning: integer('created_running').array().notNull(),
    resolvedRunning: integer('resolved_running').array().notNull(),
  },
  (t) => [unique('kpi_daily_dimension_quarter_rollups_key').on(t.dimension, t.dimensionId, t.day, t.priority, t.kind).nullsNotDistinct()],
);
