import { z } from 'zod';
import { CHANGE_DECISIONS, CHANGE_OUTCOMES, CHANGE_RISKS, CHANGE_STAGES, CHANGE_TYPES } from '../changes.js';
import { TICKET_KINDS, TICKET_STATES } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

/** Changes (issue 17, deliberately light): plan, approval, window, calendar and conflict warnings. */

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });
const Plan = z.string().max(20_000, 'must be at most 20,000 characters');
const Instant = Timestamp.transform((s) => new Date(s));

const Plans = {
  type: z.enum(CHANGE_TYPES, { error: 'must be standard, normal or emergency' }),
  risk: z.enum(CHANGE_RISKS, { error: 'must be low, medium or high' }),
  plannedStart: Instant,
  plannedEnd: Instant,
  implementationPlan: Plan.default(''),
  testPlan: Plan.default(''),
  backoutPlan: Plan.default(''),
  /** Named approvers (staff); none named: any manager approves. */
  approverIds: z.array(Id).max(20, 'name at most 20 approvers').default([]),
};

export const CreateChange = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(20_000, 'must be at most 20,000 characters').default(''),
  serviceId: Id.nullable().optional(),
  /** How widely the business is affected while it is carried out (1 high … 3 low). */
  impact: Level.default(3),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  ...Plans,
  /** Problems and incidents the change fixes or touches. */
  linkedTicketIds: z.array(Id).max(50, 'link at most 50 tickets at once').default([]),
});

/** A draft's title, service, plan, window and approvers; only a draft is edited (a rejected change is a draft again). */
export const UpdateChange = z.strictObject({
  title: CreateChange.shape.title.optional(),
  description: CreateChange.shape.description.unwrap().optional(),
  serviceId: Id.nullable().optional(),
  type: Plans.type.optional(),
  risk: Plans.risk.optional(),
  plannedStart: Instant.optional(),
  plannedEnd: Instant.optional(),
  implementationPlan: Plan.optional(),
  testPlan: Plan.optional(),
  backoutPlan: Plan.optional(),
  approverIds: Plans.approverIds.unwrap().optional(),
});

export const DecideChange = z.strictObject({
  decision: z.enum(CHANGE_DECISIONS, { error: 'must be approved or rejected' }),
  comment: z.string().max(5_000, 'must be at most 5,000 characters').default(''),
});

export const CompleteChange = z.strictObject({
  outcome: z.enum(CHANGE_OUTCOMES, { error: 'must be succeeded or failed' }),
  notes: z.string().trim().min(1, 'say what was done and how it went').max(20_000, 'must be at most 20,000 characters'),
});

export const CancelChange = z.strictObject({
  reason: z.string().trim().min(1, 'say why the change is cancelled').max(5_000, 'must be at most 5,000 characters'),
});

export const LinkToChange = z.strictObject({
  ticketIds: z.array(Id).min(1, 'name at least one problem or incident').max(50, 'link at most 50 tickets at once'),
});

export const CalendarQuery = z.strictObject({
  /** The calendar's range; by default the current week (Monday 00:00 UTC, seven days). */
  from: Instant.optional(),
  to: Instant.optional(),
});

export const ApprovalPolicyBody = z.strictObject({
  /** Whether whoever recorded or implements a change may approve it. */
  allowSelfApproval: z.boolean({ error: 'must be true or false' }),
});

const Stage = z.enum(CHANGE_STAGES);

export const ChangeConflict = z.object({
  kind: z.enum(['major_incident', 'change']),
  ticketId: Id,
  number: z.string(),
  serviceId: Id,
  serviceName: z.string(),
});

export const CalendarEntry = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  stage: Stage,
  type: z.enum(CHANGE_TYPES),
  risk: z.enum(CHANGE_RISKS),
  service: z.object({ id: Id, name: z.string() }).nullable(),
  plannedStart: Timestamp,
  plannedEnd: Timestamp,
  /** For a change still ahead or under way: what its window touches now (as on its page); empty otherwise. */
  conflicts: z.array(ChangeConflict),
});
export const Calendar = z.object({
  from: Timestamp,
  to: Timestamp,
  items: z.array(CalendarEntry),
  /** More changes fall in the range than were sent: narrow it. */
  truncated: z.boolean(),
});

/** A change as its page shows it: the ticket fields come from GET /tickets/:id. */
export const ChangeDetail = z.object({
  id: Id,
  number: z.string(),
  stage: Stage,
  type: z.enum(CHANGE_TYPES),
  risk: z.enum(CHANGE_RISKS),
  plannedStart: Timestamp,
  plannedEnd: Timestamp,
  implementationPlan: z.string(),
  testPlan: z.string(),
  backoutPlan: z.string(),
  submittedAt: Timestamp.nullable(),
  approvedAt: Timestamp.nullable(),
  outcome: z.enum(CHANGE_OUTCOMES).nullable(),
  /** Named approvers (or, when none is named, the managers who decided) and their decisions. */
  approvers: z.array(
    z.object({
      id: Id,
      name: z.string(),
      decision: z.enum(CHANGE_DECISIONS).nullable(),
      comment: z.string().nullable(),
      decidedAt: Timestamp.nullable(),
    }),
  ),
  namedApprovers: z.boolean(),
  links: z.array(z.object({ id: Id, number: z.string(), title: z.string(), kind: z.enum(TICKET_KINDS), state: z.enum(TICKET_STATES) })),
  conflicts: z.array(ChangeConflict),
  maintenanceId: Id.nullable(),
});
