import { z } from 'zod';
import { WEEKDAYS } from '../business-calendar.js';
import { SLA_STATUSES } from '../sla-clock.js';
import { SLA_TARGETS } from '../sla-policy.js';
import { ON_HOLD_REASONS, PRIORITIES, TICKET_KINDS } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Minute = z.number().int().min(0).max(1440);
const Interval = z.strictObject({ start: Minute, end: Minute });
const Week = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Interval).max(12)])) as Record<(typeof WEEKDAYS)[number], z.ZodArray<typeof Interval>>,
);
const Holiday = z.iso.date({ error: 'must be a date like 2026-12-25' });

export const BusinessCalendarBody = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  week: Week,
  holidays: z.array(z.string()),
  createdAt: Timestamp,
});
export const CreateBusinessCalendar = z.strictObject({
  name: Name,
  timeZone: z.string().min(1).max(100),
  /** Minutes after local midnight per weekday, e.g. monday: [{ start: 540, end: 1020 }] for 09:00–17:00. */
  week: Week,
  holidays: z.array(Holiday).max(400).default([]),
});
// Without the create's default: renaming a calendar must not drop its holidays.
export const UpdateBusinessCalendar = CreateBusinessCalendar.extend({ holidays: CreateBusinessCalendar.shape.holidays.unwrap() }).partial();

const Match = z.strictObject({
  priorities: z
    .array(
      z
        .number()
        .int()
        .min(1, 'priorities run from 1 (critical) to 5 (planning)')
        .max(5, 'priorities run from 1 (critical) to 5 (planning)'),
    )
    .max(PRIORITIES.length)
    .optional(),
  kinds: z.array(z.enum(TICKET_KINDS)).optional(),
  serviceIds: z.array(Id).max(200).optional(),
  organisations: z.array(z.string().min(1).max(200)).max(200).optional(),
});
const Target = z.number().int().min(1, 'must be at least 1 minute').max(525_600, 'must be at most a year').nullable();

export const SlaPolicyBody = z.object({
  id: Id,
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  match: Match,
  calendarId: Id.nullable(),
  firstResponseMinutes: z.number().int().nullable(),
  resolutionMinutes: z.number().int().nullable(),
  warnPercent: z.number().int(),
  pauseOnHoldReasons: z.array(z.string()),
  breachEscalateToTeamId: Id.nullable(),
  breachEscalateToManager: z.boolean(),
  breachEscalateToUserId: Id.nullable(),
  createdAt: Timestamp,
});
export const CreateSlaPolicy = z.strictObject({
  name: Name,
  /** Lower positions are tried first; the default puts the policy last. */
  position: z.number().int().min(0).max(1_000_000).optional(),
  active: z.boolean().optional(),
  match: Match.default({}),
  /** Null: counted round the clock. */
  calendarId: Id.nullable().optional(),
  firstResponseMinutes: Target.optional(),
  resolutionMinutes: Target.optional(),
  warnPercent: z.number().int().min(1).max(99).default(75),
  pauseOnHoldReasons: z.array(z.enum(ON_HOLD_REASONS)).default(['awaiting_requester']),
  /** On a breach, escalate the ticket to this (next-tier) team. */
  breachEscalateToTeamId: Id.nullable().optional(),
  /** On a breach, also escalate hierarchically to the team's manager ... */
  breachEscalateToManager: z.boolean().optional(),
  /** ... or to this named person. */
  breachEscalateToUserId: Id.nullable().optional(),
});
// Without the create's defaults: a PATCH that names only the position (or the name) must not
// reset the match, warning threshold and pausing reasons to their defaults.
export const UpdateSlaPolicy = CreateSlaPolicy.extend({
  match: Match,
  warnPercent: CreateSlaPolicy.shape.warnPercent.unwrap(),
  pauseOnHoldReasons: CreateSlaPolicy.shape.pauseOnHoldReasons.unwrap(),
}).partial();

export const TicketSlaTargetBody = z.object({
  target: z.enum(SLA_TARGETS),
  policyId: Id,
  policyName: z.string(),
  targetMinutes: z.number().int(),
  status: z.enum(SLA_STATUSES),
  elapsedMs: z.number(),
  remainingMs: z.number(),
  dueAt: Timestamp.nullable(),
  warnAt: Timestamp.nullable(),
  /** Counted on the policy's business calendar (times are business time), not round the clock. */
  businessHours: z.boolean(),
});
