import { z } from 'zod';
import { RoutingRule } from '../alerts/routing.js';
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATUSES, CHECK_KINDS, CHECK_STATES } from '../vocabulary.js';
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
  /** Raised by every edit; send it back as If-Match to PATCH without overwriting someone else's. */
  version: z.number().int(),
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
  /** The ticket's number (INC…, DST…), for showing. */
  ticketNumber: z.string().nullable(),
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

/** The answer to a delivery on an integration's own path: PagerDuty's shape for a pagerduty integration. */
export const DeliveryAccepted = z.union([IngestResponse, PagerDutyResponse]);

/** An alert delivery refused with a valid integration token, kept for the admin (newest 1,000 per integration). */
export const RefusedAlertDelivery = z.object({
  id: Id,
  integrationId: Id,
  receivedAt: Timestamp,
  /** The status the sender was answered with: 400 (bad JSON, wrong source, invalid), 413 (too large), 415 (not JSON). */
  status: z.number().int(),
  /** What the sender was told, and the fields it named. */
  reason: z.string(),
  fieldErrors: z.array(z.object({ field: z.string(), message: z.string() })),
  contentType: z.string().nullable(),
  /** Size of the body as received, or as declared when it was refused before being read. */
  bodyBytes: z.number().int().nullable(),
  /** The first 4 KiB of the body with tokens and routing keys redacted; null when it was never read. Attacker-controlled text. */
  bodyExcerpt: z.string().nullable(),
  excerptTruncated: z.boolean(),
  requestId: z.string(),
});

export const ListRefusedDeliveriesQuery = z.strictObject({
  integrationId: Id.optional(),
  cursor: z.string().max(200).optional(),
  limit: Limit,
});

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
  /** Failed probes in a row before the check is down and opens an incident. */
  failuresBeforeDown: z.number().int(),
  integrationId: Id,
  active: z.boolean(),
  /** pending (never probed), up, failing (failed, not yet down), down (its alert fires), paused. */
  state: z.enum(CHECK_STATES),
  consecutiveFailures: z.number().int(),
  /** The latency baseline: samples seen, EWMA mean (ms) and standard deviation (ms), drifting now. */
  baseline: z.object({ samples: z.number().int(), meanMs: z.number(), stdMs: z.number(), drifting: z.boolean() }),
  /** The error-rate baseline: failures among the latest probes (outage failures excluded), the usual rate, drifting now. */
  errorRate: z.object({
    recentProbes: z.number().int(),
    recentFailures: z.number().int(),
    usualPercent: z.number(),
    /** Probes the usual rate rests on; it is judged from 20 on. */
    baselineProbes: z.number().int(),
    drifting: z.boolean(),
  }),
  createdAt: Timestamp,
  lastRunAt: Timestamp.nullable(),
  nextRunAt: Timestamp.nullable(),
});

const checkFields = {
  name: Name,
  serviceId: Id.nullable().optional(),
  kind: z.enum(CHECK_KINDS, { error: 'must be "http" or "tcp"' }),
  /** http: an http(s) URL; tcp: host:port. */
  target: z.string().trim().min(1, 'must not be empty').max(2000),
  intervalSeconds: z.number().int().min(10, 'must be at least 10 seconds').max(86_400, 'must be at most 86400 seconds (a day)'),
  timeoutMs: z.number().int().min(100, 'must be at least 100 ms').max(60_000, 'must be at most 60000 ms'),
  expectStatus: z
    .number()
    .int()
    .min(100, 'must be an HTTP status, 100–599')
    .max(599, 'must be an HTTP status, 100–599')
    .nullable()
    .optional(),
  keyword: z.string().min(1).max(1000).nullable().optional(),
  maxLatencyMs: z.number().int().min(1).max(60_000, 'must be at most 60000 ms').nullable().optional(),
  failuresBeforeDown: z.number().int().min(1, 'must be 1 to 10').max(10, 'must be 1 to 10'),
};

export const CreateCheck = z.strictObject({
  ...checkFields,
  intervalSeconds: checkFields.intervalSeconds.default(60),
  timeoutMs: checkFields.timeoutMs.default(10_000),
  failuresBeforeDown: checkFields.failuresBeforeDown.default(2),
});

/** Any of a check's settings; `active: false` pauses it, `true` resumes it. */
export const UpdateCheck = z
  .strictObject({
    ...checkFields,
    name: checkFields.name.optional(),
    kind: checkFields.kind.optional(),
    target: checkFields.target.optional(),
    intervalSeconds: checkFields.intervalSeconds.optional(),
    timeoutMs: checkFields.timeoutMs.optional(),
    failuresBeforeDown: checkFields.failuresBeforeDown.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');

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
