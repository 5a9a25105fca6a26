import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../../../core/business-calendar.js';
import type { OnCallOverride, OnCallSchedule } from '../../../core/on-call.js';
import { OPEN_STATES, type Priority } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { businessCalendars, onCallOverrides, onCallSchedules, teamMembers, teams, tickets, users } from '../db/schema/index.js';

export interface TeamAssignmentSettings {
  id: string;
  name: string;
  assignmentStrategy: (typeof teams.$inferSelect)['assignmentStrategy'];
  assignmentCap: number | null;
  shiftScheduleId: string | null;
  workingHoursCalendarId: string | null;
  lastFairAssigneeId: string | null;
}

/**
 * The team's assignment settings, its row locked until commit: two tickets assigned fairly in one
 * team at once take turns instead of both reading the same "previous" member and open counts.
 */
export async function lockTeamForAssignment(tx: Tx, teamId: string): Promise<TeamAssignmentSettings | undefined> {
  const [row] = await tx
    .select({
      id: teams.id,
      name: teams.name,
      assignmentStrategy: teams.assignmentStrategy,
      assignmentCap: teams.assignmentCap,
      shiftScheduleId: teams.shiftScheduleId,
      workingHoursCalendarId: teams.workingHoursCalendarId,
      lastFairAssigneeId: teams.lastFairAssigneeId,
    })
    .from(teams)
    .where(eq(teams.id, teamId))
    .for('update');
  return row;
}

/**
 * The team's staff members in turn order (by name, then id). A member who is not staff (a
 * requester on the team's list, or someone since demoted) is never a candidate: tickets are only
 * ever assigned to agents and above.
 */
export async function listTeamStaff(tx: Tx, teamId: string): Promise<{ userId: string; name: string; active: boolean }[]> {
  return tx
    .select({ userId: users.id, name: users.name, active: users.active })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), inArray(users.role, ['agent', 'manager', 'admin'])))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id));
}

/**
 * Holds each person's fair-assignment lock until commit. A person's open tickets (and so the cap)
 * count across every team they are on, while the team lock only keeps one team's assignments in
 * turn: two teams sharing a member could otherwise both read them under the cap and both hand
 * them a ticket. Advisory locks, so profile edits and sign-ins never wait on an assignment; taken
 * in the order of their keys, so two assignments whose teams share people never wait on each
 * other in a circle.
 */
export async function lockPeopleForAssignment(tx: Tx, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx.execute(sql`
    SELECT pg_advisory_xact_lock(k.key) FROM (
      SELECT DISTINCT hashtextextended('fair-assignee:' || id, 0) AS key
      FROM unnest(${sql`ARRAY[${sql.join(
        userIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::text[]`}) AS id
      ORDER BY key
    ) k`);
}

/** Each person's open tickets (in any team) by priority. */
export async function countOpenByPriority(tx: Tx, userIds: readonly string[]): Promise<Map<string, Partial<Record<Priority, number>>>> {
  const byPerson = new Map<string, Partial<Record<Priority, number>>>();
  if (userIds.length === 0) return byPerson;
  const counts = await tx
    .select({ assigneeId: tickets.assigneeId, priority: tickets.priority, n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(and(inArray(tickets.assigneeId, [...userIds]), inArray(tickets.state, [...OPEN_STATES])))
    .groupBy(tickets.assigneeId, tickets.priority);
  for (const c of counts) {
    if (!c.assigneeId) continue;
    const open = byPerson.get(c.assigneeId) ?? {};
    open[c.priority as Priority] = c.n;
    byPerson.set(c.assigneeId, open);
  }
  return byPerson;
}

export async function findShiftSchedule(
  tx: Tx,
  scheduleId: string,
  at: Date,
): Promise<{ schedule: OnCallSchedule; overrides: OnCallOverride[] } | undefined> {
  const [schedule] = await tx
    .select({ timeZone: onCallSchedules.timeZone, layers: onCallSchedules.layers })
    .from(onCallSchedules)
    .where(eq(onCallSchedules.id, scheduleId));
  if (!schedule) return undefined;
  const overrides = await tx
    .select({ userId: onCallOverrides.userId, startsAt: onCallOverrides.startsAt, endsAt: onCallOverrides.endsAt })
    .from(onCallOverrides)
    .where(
      and(eq(onCallOverrides.scheduleId, scheduleId), sql`${onCallOverrides.startsAt} <= ${at}`, sql`${onCallOverrides.endsAt} > ${at}`),
    );
  return { schedule, overrides };
}

export async function findWorkingHours(tx: Tx, calendarId: string): Promise<BusinessCalendar | undefined> {
  const [row] = await tx
    .select({ timeZone: businessCalendars.timeZone, week: businessCalendars.week, holidays: businessCalendars.holidays })
    .from(businessCalendars)
    .where(eq(businessCalendars.id, calendarId));
  return row;
}

export async function recordFairAssignee(tx: Tx, teamId: string, userId: string): Promise<void> {
  await tx.update(teams).set({ lastFairAssigneeId: userId }).where(eq(teams.id, teamId));
}
