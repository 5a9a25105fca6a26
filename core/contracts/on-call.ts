import { z } from 'zod';
import { ROTATION_KINDS } from '../on-call.js';
import { ESCALATION_TARGET_TYPES, PAGE_STATES } from '../paging.js';
import { Id, Problem, Timestamp } from './common.js';

const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Description = z.string().max(2000).default('');

// ---- Schedules ----

const Layer = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  rotation: z.strictObject({
    kind: z.enum(ROTATION_KINDS),
    /** Custom rotations only: the shift length in hours (whole days are counted in local days). */
    lengthHours: z
      .number()
      .int()
      .max(24 * 365, 'must be at most a year')
      .nullable()
      .optional(),
  }),
  handoffTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 09:00'),
  startDate: z.iso.date({ error: 'must be a date like 2026-03-02' }),
  participants: z.array(Id).max(100),
});

export const ScheduleBody = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  timeZone: z.string(),
  layers: z.array(Layer),
  /** Whether an iCalendar feed secret exists (the secret itself is shown once). */
  hasCalendarFeed: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateSchedule = z.strictObject({
  name: Name,
  description: Description,
  /** An IANA time zone: handoff times and start dates are local to it. */
  timeZone: z.string().min(1).max(100),
  /** Bottom first: a later layer overrides earlier ones where it has someone. */
  layers: z.array(Layer).max(20),
});
export const UpdateSchedule = z.strictObject({
  name: Name.optional(),
  description: z.string().max(2000).optional(),
  timeZone: z.string().min(1).max(100).optional(),
  layers: z.array(Layer).max(20).optional(),
});

export const OnCallQuery = z.strictObject({ at: Timestamp.optional() });
export const OnCallBody = z.object({
  at: Timestamp,
  user: z.object({ id: Id, name: z.string(), email: z.string() }).nullable(),
  source: z.enum(['override', 'layer']).nullable(),
  layer: z.string().nullable(),
});

export const ShiftsQuery = z.strictObject({ from: Timestamp, to: Timestamp });
const Segment = z.object({ userId: Id, start: Timestamp, end: Timestamp });
export const OverrideBody = z.object({
  id: Id,
  scheduleId: Id,
  userId: Id,
  startsAt: Timestamp,
  endsAt: Timestamp,
  createdById: Id.nullable(),
  createdAt: Timestamp,
});
export const ShiftsBody = z.object({
  from: Timestamp,
  to: Timestamp,
  timeZone: z.string(),
  /** Who is on call, merged into consecutive segments: what a rota view draws. */
  final: z.array(Segment.extend({ source: z.enum(['override', 'layer']), layer: z.number().int().nullable() })),
  layers: z.array(z.object({ name: z.string(), shifts: z.array(Segment) })),
  overrides: z.array(OverrideBody),
});
export const CreateOverride = z.strictObject({ userId: Id, startsAt: Timestamp, endsAt: Timestamp });
export const CalendarFeedBody = z.object({ token: z.string(), url: z.string() });
/** The path of one override of one schedule. */
export const OverrideParams = z.strictObject({ id: Id, overrideId: Id });

/** The rota as iCalendar text (RFC 5545), sent as is. */
export const CalendarFeedText = z.string();

export const CalendarQuery = z.strictObject({ token: z.string().min(1, 'the feed secret is required').max(200) });

// ---- Escalation policies ----

const Target = z.strictObject({ type: z.enum(ESCALATION_TARGET_TYPES), id: Id });
const Level = z.strictObject({
  targets: z.array(Target).max(20),
  timeoutMinutes: z.number().int().min(1, 'must be at least 1 minute').max(1440, 'must be at most a day'),
});
export const EscalationPolicyBody = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  levels: z.array(Level),
  repeat: z.number().int(),
  teamIds: z.array(Id),
  serviceIds: z.array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateEscalationPolicy = z.strictObject({
  name: Name,
  description: Description,
  levels: z.array(Level).max(20),
  /** How many more times the whole policy runs after its last level. */
  repeat: z.number().int().min(0).max(9).default(0),
  /** Teams and services whose critical incidents page this policy (a team's wins over a service's). */
  teamIds: z.array(Id).max(200).optional(),
  serviceIds: z.array(Id).max(200).optional(),
});
export const UpdateEscalationPolicy = z.strictObject({
  name: Name.optional(),
  description: z.string().max(2000).optional(),
  levels: z.array(Level).max(20).optional(),
  repeat: z.number().int().min(0).max(9).optional(),
  teamIds: z.array(Id).max(200).optional(),
  serviceIds: z.array(Id).max(200).optional(),
});

// ---- Pages ----

export const CreatePage = z.strictObject({
  /** Default: the ticket's team's policy, else its service's. */
  escalationPolicyId: Id.optional(),
  message: z.string().trim().min(1, 'say why you are paging').max(2000),
});
export const PageBody = z.object({
  id: Id,
  ticketId: Id,
  /** Null: a response-role page on a ticket with no escalation policy (it reaches the holder only). */
  policyId: Id.nullable(),
  /** A response-role page (issue 14): the role's new holder, paged alone first, before the policy. */
  personId: Id.nullable(),
  state: z.enum(PAGE_STATES),
  message: z.string(),
  level: z.number().int(),
  round: z.number().int(),
  triggeredById: Id.nullable(),
  createdAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedById: Id.nullable(),
  endedAt: Timestamp.nullable(),
  recipients: z.array(z.object({ userId: Id, name: z.string(), level: z.number().int(), round: z.number().int(), pagedAt: Timestamp })),
  /** Every step paged so far (a level in a round) and whom it reached, by name; empty people: nobody reachable. */
  steps: z.array(
    z.object({ level: z.number().int(), round: z.number().int(), people: z.array(z.object({ userId: Id, name: z.string() })) }),
  ),
  policyName: z.string().nullable(),
  triggeredByName: z.string().nullable(),
  acknowledgedByName: z.string().nullable(),
  /** After acknowledging: whether the acknowledger took the ticket or someone already had it. */
  assignment: z
    .union([z.object({ outcome: z.literal('assigned') }), z.object({ outcome: z.literal('already_assigned'), assigneeName: z.string() })])
    .nullable()
    .optional(),
});

/** Acknowledging by the e-mail link's token: an HTML page for a person's form, the page itself for JSON. */
export const AckAnswer = z.union([z.string(), PageBody]);
/** The acknowledge-first view of a page: the page and what it is about. */
export const PageDetailBody = z.object({
  page: PageBody,
  ticket: z.object({
    id: Id,
    number: z.string(),
    title: z.string(),
    priority: z.number().int(),
    state: z.string(),
    serviceName: z.string().nullable(),
    teamName: z.string().nullable(),
    assigneeId: Id.nullable(),
    assigneeName: z.string().nullable(),
  }),
});
export const AckTokenQuery = z.strictObject({ token: z.string().min(1, 'the link is incomplete').max(1000) });
/** The e-mail link's pages answer HTML for people, problem+json for bad requests. */
export const HtmlOrProblem = z.union([z.string(), Problem]);

export const AckTokenForm = z.object({ token: z.string().min(1, 'the link is incomplete').max(1000) });

// ---- In-app notifications ----

export const InAppNotificationBody = z.object({
  id: Id,
  ticketId: Id.nullable(),
  reason: z.string(),
  text: z.string(),
  body: z.string(),
  /** For a page: its id and whether it still runs (the bell then offers "Acknowledge"). */
  page: z.object({ id: Id, state: z.enum(PAGE_STATES) }).nullable(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export const InAppNotificationsQuery = z.strictObject({
  cursor: z.string().regex(/^\d+$/, 'must be the nextCursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const InAppNotificationsPage = z.object({
  items: z.array(InAppNotificationBody),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});
export const MarkRead = z.union([z.strictObject({ ids: z.array(Id).min(1).max(500) }), z.strictObject({ all: z.literal(true) })]);

// ---- Paging for requester-reported P1s ----

export const RequesterP1PagingBody = z.strictObject({
  /** true: wait for a staff member to confirm the priority; false: page at once, as for staff. */
  waitForStaff: z.boolean(),
  /** With waitForStaff: page anyway after this many minutes without a confirmation; null waits for staff. */
  pageAfterMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(1440, 'must be at most a day (1440 minutes)')
    .nullable(),
});

export const MarkedRead = z.object({ marked: z.number().int(), unread: z.number().int() });
