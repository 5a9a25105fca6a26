import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { RoutingRule } from '../../../../core/alerts/routing.js';
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATUSES } from '../../../../core/vocabulary.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * A monitoring source that sends alerts (Alertmanager, Grafana, a PagerDuty-speaking tool, any
 * webhook). Its token is a long random secret: only its SHA-256 is stored, looked up in one
 * indexed query per request. Each integration acts as its own user (role agent, no password),
 * so the tickets it opens and the notes it writes name it on the timeline.
 */
export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    source: text('source', { enum: ALERT_SOURCES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** Ordered: the first rule that matches an alert decides what happens to it. */
    rules: jsonb('rules').$type<RoutingRule[]>().notNull(),
    /** A resolved alert resolves its ticket only after staying resolved this long (flapping guard). */
    resolveDelayMinutes: integer('resolve_delay_minutes').notNull().default(5),
    /** Raised by every edit (name, rules, resolve delay): the ETag an admin's If-Match names. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastAlertAt: timestamp('last_alert_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('integrations_token_hash_unique').on(t.tokenHash)],
);

/**
 * One row per alert (integration + fingerprint): repeats update it (count, last seen, latest
 * payload, status) instead of adding rows. The unique index makes two concurrent deliveries of
 * the same alert one row (INSERT … ON CONFLICT DO UPDATE).
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    integrationId: uuid('integration_id')
      .notNull()
      .references(() => integrations.id),
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull(),
    summary: text('summary').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    sourceUrl: text('source_url'),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** Deliveries received for this alert, repeats included. */
    count: integer('count').notNull().default(1),
    /** Times it went from resolved back to firing. */
    refireCount: integer('refire_count').notNull().default(0),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    lastPayload: jsonb('last_payload').notNull(),
    /** What routing decided for it: ignore, disturbance or incident (and which rule, by position). */
    action: text('action').notNull(),
    ruleIndex: integer('rule_index'),
    /** The grouping key (integration-independent label values); alerts with one key share a ticket. */
    groupKey: text('group_key').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
  },
  (t) => [
    uniqueIndex('alerts_integration_fingerprint_unique').on(t.integrationId, t.fingerprint),
    index('alerts_group_idx').on(t.integrationId, t.groupKey, t.lastSeenAt),
    index('alerts_ticket_idx').on(t.ticketId),
    index('alerts_last_seen_idx').on(t.lastSeenAt, t.id),
  ],
);
