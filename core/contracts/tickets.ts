import { z } from 'zod';
import {
  CHANNELS,
  ESCALATION_KINDS,
  ON_HOLD_REASONS,
  RESOLUTION_CODES,
  SCOPES,
  TICKET_KINDS,
  TICKET_STATES,
  TIMELINE_EVENT_TYPES,
} from '../vocabulary.js';
import { csvOf, Id, Limit, Ref, Timestamp } from './common.js';

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });
const PriorityValue = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
  error: 'must be 1 (critical) to 5 (planning)',
});
const Title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Description = z.string().max(20_000, 'must be at most 20,000 characters');
const Reason = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2,000 characters');

export const Ticket = z.object({
  id: Id,
  number: z.string(),
  kind: z.enum(TICKET_KINDS),
  title: z.string(),
  description: z.string(),
  requester: Ref,
  reportedById: Id,
  channel: z.enum(CHANNELS),
  service: Ref,
  category: Ref,
  subcategoryId: Id.nullable(),
  impact: Level,
  urgency: Level,
  priority: PriorityValue,
  priorityOverridden: z.boolean(),
  priorityOverrideReason: z.string().nullable(),
  scope: z.enum(SCOPES),
  team: Ref,
  assignee: Ref,
  state: z.enum(TICKET_STATES),
  onHoldReason: z.enum(ON_HOLD_REASONS).nullable(),
  resolutionCode: z.enum(RESOLUTION_CODES).nullable(),
  resolutionNotes: z.string().nullable(),
  openedAt: Timestamp,
  firstResponseAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  version: z.number().int(),
  escalationLevel: z.number().int(),
  /** Moves to another team or assignee after the first assignment (ServiceNow's reassignment_count), for KPIs. */
  reassignmentCount: z.number().int(),
  /** Times it came back from resolved or closed to work (ServiceNow's reopen_count), for KPIs. */
  reopenCount: z.number().int(),
  /** The next SLA due time (first response or resolution, whichever comes first and is still running or breached). */
  slaDueAt: Timestamp.nullable(),
  /** A requester-reported P1 not paged yet: since when it waits for a staff member to confirm it. */
  pageHeldSince: Timestamp.nullable(),
  /** Since when this incident is a major incident; null when it is not one. */
  majorSince: Timestamp.nullable(),
  /** The incident this ticket is a child of (it follows that incident's resolution); null when none. */
  parentId: Id.nullable(),
  /** A duplicate merged into another ticket: the survivor (closed with code `duplicate`); null otherwise. */
  mergedIntoId: Id.nullable(),
  /** How many people are affected: Me too, children's requesters, merged duplicates' requesters. */
  affectedCount: z.number().int(),
  /** A major incident's root cause (recorded when an investigation is confirmed, editable); null until known. */
  rootCause: z.string().nullable(),
  /**
   * An imported ticket (issue 16): the source's columns Firebreak has no field for, and the
   * original values of mapped ones (e.g. `u_symptom`, `location`, `incident_state`, `made_sla`),
   * as exported; null for a ticket made here.
   */
  sourceAttributes: z.record(z.string(), z.string()).nullable(),
  /** The number it had in the tool it was imported from, where that number was taken here; null otherwise. */
  externalReference: z.string().nullable(),
  /** The moves the state machine allows from here, so clients show only legal actions. */
  allowedMoves: z.array(z.enum(TICKET_STATES)),
  /** An incident's problem (issue 17), for staff; null when none (and always for requesters). */
  problemId: Id.nullable(),
  /** A problem's workaround; null for every other kind. */
  workaround: z.string().nullable(),
  /** A problem's workaround written for requesters (the portal's deflection shows it); null for every other kind. */
  publicWorkaround: z.string().nullable(),
  /** Since when a problem is a known error; null otherwise. */
  knownErrorAt: Timestamp.nullable(),
});

/** A creating POST may name itself: a retried request with the same key returns the first ticket. */
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().min(1).max(200, 'must be at most 200 characters').optional(),
});

export const CreateTicket = z.strictObject({
  // A change is recorded with its plan and window (issue 17): POST /api/v1/changes, never here.
  kind: z
    .enum(TICKET_KINDS)
    .default('incident')
    .refine((k) => k !== 'change', 'record a change at /api/v1/changes: it needs its type, window and plans'),
  title: Title,
  description: Description.default(''),
  /** Agents report on someone's behalf; a requester always reports for themselves. */
  requesterId: Id.optional(),
  channel: z.enum(CHANNELS).optional(),
  serviceId: Id.nullable().optional(),
  categoryId: Id.nullable().optional(),
  subcategoryId: Id.nullable().optional(),
  impact: Level.default(3),
  urgency: Level.default(3),
  scope: z.enum(SCOPES).default('local'),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
});

export const UpdateTicket = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  serviceId: Id.nullable().optional(),
  categoryId: Id.nullable().optional(),
  subcategoryId: Id.nullable().optional(),
  impact: Level.optional(),
  urgency: Level.optional(),
  scope: z.enum(SCOPES).optional(),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  /** Staff correct who the ticket is for (a caller logged under the wrong name); on the timeline. */
  requesterId: Id.optional(),
  /** Set a priority by hand (a reason is required), or `null` to return to the matrix. */
  priorityOverride: z.strictObject({ priority: PriorityValue, reason: Reason }).nullable().optional(),
});

export const Transition = z.strictObject({
  to: z.enum(TICKET_STATES),
  reason: Reason.optional(),
  onHoldReason: z.enum(ON_HOLD_REASONS).optional(),
  resolutionCode: z.enum(RESOLUTION_CODES).optional(),
  resolutionNotes: z.string().trim().max(20_000).optional(),
  /** Closing an incident whose completion checklist is not done: an admin may, saying why (on the timeline). */
  checklistOverrideReason: Reason.optional(),
});

export const Escalate = z.strictObject({
  kind: z.enum(ESCALATION_KINDS, { error: 'must be "functional" (to another team) or "hierarchical" (to management)' }),
  reason: Reason,
  toTeamId: Id.optional(),
  toUserId: Id.optional(),
});

export const AddComment = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20,000 characters'),
  /** Explicit on purpose: `public` reaches the requester, `internal` is a work note for staff. */
  visibility: z.enum(['public', 'internal'], { error: 'must be "public" (the requester sees it) or "internal" (a work note)' }),
});

export const TimelineEvent = z.object({
  id: z.number().int(),
  type: z.enum(TIMELINE_EVENT_TYPES),
  actor: Ref,
  at: Timestamp,
  internal: z.boolean(),
  body: z.string().nullable(),
  /** What changed; a change that refers to a person, team, service, category or policy also names it. */
  changes: z
    .array(
      z.object({
        field: z.string(),
        from: z.unknown(),
        to: z.unknown(),
        fromName: z.string().nullable().optional(),
        toName: z.string().nullable().optional(),
      }),
    )
    .nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const TICKET_SORT_VALUES = ['priority', '-priority', 'openedAt', '-openedAt', 'updatedAt', '-updatedAt', 'slaDueAt'] as const;

const SourceAttributeFilter = z
  .string()
  .regex(/^[^:]{1,100}:.{1,200}$/s, 'must be column:value, e.g. location:Paris (a source attribute of imported tickets)');

/** `location:Paris` → the attribute and its value (the column before the first colon, lower-cased as the importer keeps it). */
export function sourceAttributeFilters(attr: string | string[] | undefined): Record<string, string> | undefined {
  if (attr === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const f of Array.isArray(attr) ? attr : [attr]) {
    const at = f.indexOf(':');
    out[f.slice(0, at).trim().toLowerCase()] = f.slice(at + 1);
  }
  return out;
}

export const ListTicketsQuery = z.strictObject({
  kind: csvOf(z.enum(TICKET_KINDS)).optional(),
  state: csvOf(z.enum([...TICKET_STATES, 'open'])).optional(),
  priority: csvOf(z.coerce.number().pipe(PriorityValue)).optional(),
  teamId: csvOf(Id).optional(),
  /** An id, `me`, or `none` for unassigned. */
  assigneeId: z.union([Id, z.enum(['me', 'none'])]).optional(),
  requesterId: z.union([Id, z.literal('me')]).optional(),
  serviceId: Id.optional(),
  categoryId: Id.optional(),
  q: z.string().max(200).optional(),
  /** "Breaching soon": tickets whose next SLA due time is before this instant (breached ones included). */
  slaDueBefore: Timestamp.optional(),
  /** Reassigned at least this many times (a report's drill-down: 1 lists the reassigned tickets). */
  minReassignments: z.coerce.number().int().min(0, 'must be 0 or more').max(1000).optional(),
  /** Reopened at least this many times. */
  minReopens: z.coerce.number().int().min(0, 'must be 0 or more').max(1000).optional(),
  /** Never reassigned, never reopened, at most one public staff reply (a report's first-contact drill-down). */
  firstContact: z.enum(['true', 'false']).optional(),
  /** `true`: an SLA target was breached (the SLA-compliance drill-down); `false`: under an SLA policy and none breached (met). */
  slaBreached: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  /** `true`: the requester rated the ticket (within ratedFrom–ratedBefore when given: the satisfaction drill-down); `false`: not rated. */
  rated: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ratedFrom: Timestamp.optional(),
  ratedBefore: Timestamp.optional(),
  /** Opened at or after / before these instants (a report's period). */
  openedFrom: Timestamp.optional(),
  openedBefore: Timestamp.optional(),
  /** Resolved at or after / before these instants (a report's period for resolved tickets). */
  resolvedFrom: Timestamp.optional(),
  resolvedBefore: Timestamp.optional(),
  /**
   * Source attributes of imported tickets (issue 16), `column:value`, e.g. `attr=location:Paris`;
   * repeated, every one must hold. The value is compared exactly, the column as imported (lower-case).
   */
  attr: z.union([SourceAttributeFilter, z.array(SourceAttributeFilter).max(5, 'at most 5 attribute filters')]).optional(),
  sort: z.enum(TICKET_SORT_VALUES).default('-openedAt'),
  cursor: z.string().max(400).optional(),
  limit: Limit,
});

export const TimelineQuery = z.strictObject({
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const PriorityMatrixBody = z.strictObject({
  matrix: z.tuple([
    z.tuple([PriorityValue, PriorityValue, PriorityValue]),
    z.tuple([PriorityValue, PriorityValue, PriorityValue]),
    z.tuple([PriorityValue, PriorityValue, PriorityValue]),
  ]),
});

/** An open incident of global scope, as everyone may see it ("is it just me?"). */
export const KnownIssue = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  state: z.enum(TICKET_STATES),
  priority: PriorityValue,
  openedAt: Timestamp,
  service: Ref,
  /** `editedAt`: when the desk last corrected its words (issue 15); null as first sent. */
  latestUpdate: z.object({ at: Timestamp, body: z.string(), editedAt: Timestamp.nullable() }).nullable(),
});

/** A known problem as anyone who may read it sees it: only what the desk published. */
export const KnownIssueView = KnownIssue.omit({ latestUpdate: true }).extend({
  resolvedAt: Timestamp.nullable(),
  resolution: z.object({ code: z.enum(RESOLUTION_CODES), notes: z.string() }).nullable(),
  updates: z.array(z.object({ at: Timestamp, body: z.string(), editedAt: Timestamp.nullable() })),
  following: z.boolean(),
});

export const KnownIssuesQuery = z.strictObject({
  /** The service the person is about to report on; omitted: every known issue. */
  serviceId: Id.optional(),
});

/** A ticket someone follows (GET /me/followed-tickets): what the portal lists of it. */
export const FollowedTicket = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  state: z.enum(TICKET_STATES),
  since: z.string(),
});
