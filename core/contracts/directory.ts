import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES } from '../fair-assignment.js';
import { ROLES } from '../vocabulary.js';
import { Id, Limit, Timestamp } from './common.js';

const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Email = z.email({ error: 'must be an e-mail address' }).max(320);
const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as Europe/Berlin' },
);
export const Password = z.string().min(12, 'must be at least 12 characters').max(200);

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  timeZone: z.string(),
  organisation: z.string().nullable(),
  teamIds: z.array(Id).optional(),
  createdAt: Timestamp,
});
export const CreateUser = z.strictObject({
  email: Email,
  name: Name,
  role: z.enum(ROLES),
  timeZone: TimeZone.default('UTC'),
  organisation: z.string().trim().max(200).nullable().optional(),
  password: Password.optional(),
});
/** A caller the desk does not know yet, added while logging their ticket (POST /requesters). */
export const CreateRequester = z.strictObject({
  name: Name,
  email: Email,
});
export const UpdateUser = z.strictObject({
  name: Name.optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
  timeZone: TimeZone.optional(),
  organisation: z.string().trim().max(200).nullable().optional(),
  password: Password.optional(),
  /** With a new password or a deactivation: also revoke the person's API tokens (default yes). */
  revokeApiTokens: z.boolean().optional(),
});
export const ListUsersQuery = z.strictObject({
  role: z.enum(ROLES).optional(),
  /** "true": only the people who work tickets (agents, managers, admins), however many requesters there are. */
  staff: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(400).optional(),
  limit: Limit,
});

export const Team = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  managerId: Id.nullable(),
  memberIds: z.array(Id),
  /** Fair assignment (issue 18): how a ticket that reaches the team unassigned gets a member; null: it waits in the queue. */
  assignmentStrategy: z.enum(ASSIGNMENT_STRATEGIES).nullable(),
  /** Members holding this many open tickets are passed over; null: no cap. */
  assignmentCap: z.number().int().nullable(),
  /** Only members on call in this schedule now are on shift; null: everyone is. */
  shiftScheduleId: Id.nullable(),
  /** Nobody is assigned fairly outside these working hours; null: any time. */
  workingHoursCalendarId: Id.nullable(),
  createdAt: Timestamp,
});
const AssignmentSettings = {
  assignmentStrategy: z.enum(ASSIGNMENT_STRATEGIES, { error: 'must be round_robin, least_loaded or null' }).nullable().optional(),
  assignmentCap: z
    .number()
    .int({ error: 'must be a whole number of open tickets' })
    .min(1, { error: 'must be at least 1' })
    .max(10_000, { error: 'must be at most 10,000' })
    .nullable()
    .optional(),
  shiftScheduleId: Id.nullable().optional(),
  workingHoursCalendarId: Id.nullable().optional(),
};
export const CreateTeam = z.strictObject({
  name: Name,
  description: z.string().max(2000).default(''),
  managerId: Id.nullable().optional(),
  memberIds: z.array(Id).max(500).default([]),
  ...AssignmentSettings,
});
export const UpdateTeam = z.strictObject({
  name: Name.optional(),
  description: z.string().max(2000).optional(),
  managerId: Id.nullable().optional(),
  memberIds: z.array(Id).max(500).optional(),
  ...AssignmentSettings,
});

export const Service = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  parentId: Id.nullable(),
  ownerTeamId: Id.nullable(),
  dependsOnIds: z.array(Id),
  /** Offered in the portal's pickers; requesters neither see nor pick a hidden service. */
  visibleToRequesters: z.boolean(),
  /** Shown as a component on the public status page (`/status`). */
  onStatusPage: z.boolean(),
  createdAt: Timestamp,
});
export const CreateService = z.strictObject({
  name: Name,
  description: z.string().max(2000).default(''),
  parentId: Id.nullable().optional(),
  ownerTeamId: Id.nullable().optional(),
  dependsOnIds: z.array(Id).max(100).default([]),
  visibleToRequesters: z.boolean().default(true),
  onStatusPage: z.boolean().default(false),
});
export const UpdateService = z.strictObject({
  name: Name.optional(),
  description: z.string().max(2000).optional(),
  parentId: Id.nullable().optional(),
  ownerTeamId: Id.nullable().optional(),
  dependsOnIds: z.array(Id).max(100).optional(),
  visibleToRequesters: z.boolean().optional(),
  onStatusPage: z.boolean().optional(),
});

export const Category = z.object({
  id: Id,
  name: z.string(),
  parentId: Id.nullable(),
  defaultTeamId: Id.nullable(),
  createdAt: Timestamp,
});
export const CreateCategory = z.strictObject({
  name: Name,
  parentId: Id.nullable().optional(),
  defaultTeamId: Id.nullable().optional(),
});
export const UpdateCategory = z.strictObject({
  name: Name.optional(),
  parentId: Id.nullable().optional(),
  defaultTeamId: Id.nullable().optional(),
});
