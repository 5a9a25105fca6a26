import { z } from 'zod';
import { INVESTIGATION_STATUSES } from '../vocabulary.js';
import { Id, Ref, Timestamp } from './common.js';

/**
 * The API of a major incident's response (issue 14 items 4–7): the role roster (admin), who
 * holds which role, investigations, tasks and meetings. Every write names its field in words.
 */

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max.toLocaleString('en')} characters`);
const LongText = z.string().max(20_000, 'must be at most 20,000 characters');
const People = z.array(Id).max(50, 'must name at most 50 people');

// ---------- The roster (admin) ----------

export const IncidentRole = z.object({
  id: Id,
  key: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  checklist: z.array(z.string()),
  singleHolder: z.boolean(),
  pages: z.boolean(),
  position: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});

const Checklist = z.array(Text(200)).max(20, 'must have at most 20 items');

export const CreateIncidentRole = z.strictObject({
  name: Text(100),
  description: z.string().max(2000, 'must be at most 2,000 characters').default(''),
  checklist: Checklist.default([]),
  singleHolder: z.boolean().default(true),
  pages: z.boolean().default(false),
  position: z.number().int().min(0).max(1000).default(100),
});

export const UpdateIncidentRole = z.strictObject({
  name: Text(100).optional(),
  description: z.string().max(2000, 'must be at most 2,000 characters').optional(),
  checklist: Checklist.optional(),
  singleHolder: z.boolean().optional(),
  pages: z.boolean().optional(),
  position: z.number().int().min(0).max(1000).optional(),
  active: z.boolean().optional(),
});

// ---------- Role holders on an incident ----------

export const RoleHolding = z.object({
  id: Id,
  role: z.object({ id: Id, name: z.string(), description: z.string(), checklist: z.array(z.string()), singleHolder: z.boolean() }),
  holder: Ref,
  since: Timestamp,
});

/** Assign (`userId` takes the role), hand over (`fromUserId` gives it to `userId`) or release (`release: true`). */
export const AssignRole = z.strictObject({
  roleId: Id,
  userId: Id,
  /** A hand-over: the current holder who gives the role to `userId`, at the same instant. */
  fromUserId: Id.optional(),
});

export const ReleaseRole = z.strictObject({ roleId: Id, userId: Id });

/** "What is my role": the incidents on which the person holds a role now. */
export const MyIncidentRole = z.object({
  ticket: z.object({ id: Id, number: z.string(), title: z.string(), state: z.string() }),
  role: z.object({ id: Id, name: z.string(), description: z.string(), checklist: z.array(z.string()) }),
  since: Timestamp,
});

// ---------- Investigations ----------

export const Finding = z.object({ id: Id, author: Ref, at: Timestamp, body: z.string() });

export const Investigation = z.object({
  id: Id,
  ticketId: Id,
  hypothesis: z.string(),
  owner: Ref,
  helpers: z.array(z.object({ id: Id, name: z.string() })),
  status: z.enum(INVESTIGATION_STATUSES),
  conclusion: z.string().nullable(),
  findings: z.array(Finding),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});

export const CreateInvestigation = z.strictObject({
  hypothesis: Text(500),
  ownerId: Id,
  helperIds: People.default([]),
});

export const UpdateInvestigation = z.strictObject({
  hypothesis: Text(500).optional(),
  ownerId: Id.optional(),
  helperIds: People.optional(),
  /** Confirmed: the conclusion becomes the incident's root cause. Ruled out: the hypothesis did not hold. Open: reopened. */
  status: z.enum(INVESTIGATION_STATUSES, { error: 'must be open, confirmed or ruled out' }).optional(),
  conclusion: z.string().trim().max(5000, 'must be at most 5,000 characters').nullable().optional(),
});

export const AddFinding = z.strictObject({ body: Text(5000) });

export const RootCause = z.strictObject({ rootCause: Text(5000) });

// ---------- Tasks ----------

export const IncidentTask = z.object({
  id: Id,
  ticketId: Id,
  title: z.string(),
  owner: Ref,
  dueAt: Timestamp.nullable(),
  done: z.boolean(),
  doneAt: Timestamp.nullable(),
  overdue: z.boolean(),
  createdAt: Timestamp,
  version: z.number().int(),
});

export const CreateIncidentTask = z.strictObject({
  title: Text(200),
  ownerId: Id.nullable().default(null),
  dueAt: Timestamp.nullable().default(null),
});

export const UpdateIncidentTask = z.strictObject({
  title: Text(200).optional(),
  ownerId: Id.nullable().optional(),
  dueAt: Timestamp.nullable().optional(),
  done: z.boolean().optional(),
});

// ---------- Meetings ----------

export const Meeting = z.object({
  id: Id,
  ticketId: Id,
  title: z.string(),
  startsAt: Timestamp,
  durationMinutes: z.number().int(),
  link: z.string().nullable(),
  attendees: z.array(z.object({ id: Id, name: z.string() })),
  agenda: z.string(),
  notes: z.string(),
  decisions: z.string(),
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  version: z.number().int(),
});

const MeetingLink = z.url({ protocol: /^https?$/, error: 'must be a web address (https://…)' }).max(2000);
const Duration = z
  .number({ error: 'must be a number of minutes' })
  .int('must be whole minutes')
  .min(5, 'must be at least 5 minutes')
  .max(480, 'must be at most 8 hours');

export const CreateMeeting = z.strictObject({
  title: Text(200),
  startsAt: Timestamp,
  durationMinutes: Duration.default(30),
  link: MeetingLink.nullable().default(null),
  attendeeIds: People.default([]),
  agenda: LongText.default(''),
  /**
   * A global incident's Technical Manager escalates it to management (hierarchical escalation)
   * and invites that manager to this meeting, in the same step.
   */
  escalateTo: z.strictObject({ managerId: Id, reason: Text(2000) }).optional(),
});

export const UpdateMeeting = z.strictObject({
  title: Text(200).optional(),
  startsAt: Timestamp.optional(),
  durationMinutes: Duration.optional(),
  link: MeetingLink.nullable().optional(),
  attendeeIds: People.optional(),
  agenda: LongText.optional(),
  notes: LongText.optional(),
  decisions: LongText.optional(),
});

/** Start or end a meeting: on the timeline. */
export const MeetingMove = z.strictObject({ action: z.enum(['start', 'end'], { error: 'must be start or end' }) });

export const MajorIncidentParams = z.strictObject({ id: Id, itemId: Id });
