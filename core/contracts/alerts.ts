import { z } from 'zod';
import { RoutingRule } from '../alerts/routing.js';
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATUSES, CHECK_KINDS } from '../vocabulary.js';
import { Id, Limit, Timestamp } from './common.js';

const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Rules = z.array(RoutingRule).max(100, 'at most 100 rules');
const ResolveDelay = z.number().int().min(0).max(1440, 'must be at most 1440 minutes');
const LevelValue = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });

export const Integration = z.object({
  id: Id,
  name: z.string(),
  source: z.enum(ALERT_SOURCES),
  /** The first characters of the token, to tell tokens apart; the token itself is shown once. */
  tokenPrefix: z.string(),
  userId: Id,
  rules: z.array(z.unknown()),
  resolveDelayMinutes: z.number().int(),
  /** Where to send alerts (path; prefix it with this server's address). */
  alertsPath: z.string(),
  active: z.boolean(),
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable(),
  lastAlertAt: Timestamp.nullable(),
});

/** Creation answers with the token (this once) and a copy-paste curl to try it. */
export const CreatedIntegration = Integration.extend({ token: z.string(), exampleCurl: z.string() });

export const CreateIntegration = z.strictObject({
  name: Name,
  source: z.enum(ALERT_SOURCES, { error: 'must be one of generic, alertmanager, grafana, pagerduty' }),
  rules: Rules.default([]),
  resolveDelayMinutes: ResolveDelay.default(5),
});

export const UpdateIntegration = z.strictObject({
  name: Name.optional(),
  rules: Rules.optional(),
  resolveDelayMinutes: ResolveDelay.optional(),
});

export const Alert = z.object({
  id: Id,
  integrationId: Id,
  fingerprint: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
  sourceUrl: z.string().nullable(),
  startsAt: Timestamp.nullable(),
  endsAt: Timestamp.nullable(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  count: z.number().int(),
  refireCount: z.number().int(),
  acknowledgedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  action: z.string(),
  ticketId: Id.nullable(),
});

export const ListAlertsQuery = z.strictObject({
  integrationId: Id.optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  ticketId: Id.optional(),
  cursor: z.string().max(200).optional(),
  limit: Limit,
});

/** What an alert delivery is answered with (after it is committed). */
export const IngestResponse = z.object({
  status: z.literal('accepted'),
  alerts: z.array(
    z.object({
      id: Id,
      fingerprint: z.string(),
      status: z.enum(ALERT_STATUSES),
      count: z.number().int(),
      action: z.string(),
      ticketId: Id.nullable(),
    }),
  ),
});

/** PagerDuty's own answer to /v2/enqueue, so its clients are satisfied. */
export const PagerDutyResponse = z.object({ status: z.string(), message: z.string(), dedup_key: z.string() });

export const PromoteDisturbance = z.strictObject({
  reason: z.string().trim().min(1, 'must not be empty: say why this is now an incident').max(2000),
  title: Name.optional(),
  impact: LevelValue.optional(),
  urgency: LevelValue.optional(),
});

export const Check = z.object({
  id: Id,
  name: z.string(),
  serviceId: Id.nullable(),
  kind: z.enum(CHECK_KINDS),
  target: z.string(),
  intervalSeconds: z.number().int(),
  timeoutMs: z.number().int(),
  expectStatus: z.number().int().nullable(),
  keyword: z.string().nullable(),
  maxLatencyMs: z.number().int().nullable(),
  integrationId: Id,
  active: z.boolean(),
  /** The latency baseline: samples seen, EWMA mean (ms) and standard deviation (ms), drifting now. */
  baseline: z.object({ samples: z.number().int(), meanMs: z.number(), stdMs: z.number(), drifting: z.boolean() }),
  createdAt: Timestamp,
  lastRunAt: Timestamp.nullable(),
});

export const CreateCheck = z.strictObject({
  name: Name,
  serviceId: Id.nullable().optional(),
  kind: z.enum(CHECK_KINDS, { error: 'must be "http" or "tcp"' }),
  /** http: an http(s) URL; tcp: host:port. */
  target: z.string().trim().min(1, 'must not be empty').max(2000),
  intervalSeconds: z.number().int().min(10, 'must be at least 10 seconds').max(86_400).default(60),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  expectStatus: z.number().int().min(100).max(599).nullable().optional(),
  keyword: z.string().min(1).max(1000).nullable().optional(),
  maxLatencyMs: z.number().int().min(1).max(60_000).nullable().optional(),
});

export const CheckResult = z.object({
  at: Timestamp,
  ok: z.boolean(),
  latencyMs: z.number().int().nullable(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  z: z.number().nullable(),
});

export const CheckResultsQuery = z.strictObject({
  since: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
