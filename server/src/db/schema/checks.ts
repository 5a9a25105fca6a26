import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BaselineState } from '../../../../core/alerts/baseline.js';
import { EMPTY_ERROR_RATE, type ErrorRateState } from '../../../../core/alerts/error-rate.js';
import { CHECK_KINDS } from '../../../../core/vocabulary.js';
import { integrations } from './alerts.js';
import { services } from './directory.js';

/**
 * A built-in check: Firebreak probes an HTTP(S) URL or a TCP port an admin configured, on an
 * interval, through the job runner. Its results feed alerts through its own integration (made
 * with the check), so a failing check takes the same path as an external alert.
 */
export const checks = pgTable('checks', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  serviceId: uuid('service_id').references(() => services.id),
  kind: text('kind', { enum: CHECK_KINDS }).notNull(),
  /** http: the URL; tcp: host:port. */
  target: text('target').notNull(),
  intervalSeconds: integer('interval_seconds').notNull(),
  timeoutMs: integer('timeout_ms').notNull(),
  /** http: the status expected (null: any 2xx or 3xx). */
  expectStatus: integer('expect_status'),
  /** http: text the body must contain. */
  keyword: text('keyword'),
  /** A response slower than this fails the check. */
  maxLatencyMs: integer('max_latency_ms'),
  integrationId: uuid('integration_id')
    .notNull()
    .references(() => integrations.id),
  /** The latency baseline (core/alerts/baseline.ts), updated with every successful probe. */
  baseline: jsonb('baseline').$type<BaselineState>().notNull(),
  /** The error-rate baseline and recent window (core/alerts/error-rate.ts), updated with every probe. */
  errorRate: jsonb('error_rate').$type<ErrorRateState>().notNull().default(EMPTY_ERROR_RATE),
  /** Failed probes in a row before the check is down and its alert fires. */
  failuresBeforeDown: integer('failures_before_down').notNull().default(2),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** The run the current chain of `check.run` jobs is due at; a job for another instant is stale (after an edit, resume or "check now"). */
  nextRunAt: timestamp('next_run_at', { withTimezone: true }),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
});

/** Every probe's outcome: the history behind the response-time chart. */
export const checkResults = pgTable(
  'check_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    ok: boolean('ok').notNull(),
    latencyMs: integer('latency_ms'),
    statusCode: integer('status_code'),
    error: text('error'),
    /** The latency's z-score against the baseline (null while the baseline is young or on failure). */
    z: doublePrecision('z'),
  },
  (t) => [index('check_results_check_at_idx').on(t.checkId, t.at)],
);
