import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  incidentMeetings,
  incidentRoleAssignments,
  incidentRoles,
  incidentTasks,
  investigationFindings,
  investigations,
  tickets,
  users,
} from '../db/schema/index.js';

/** All SQL of a major incident's response: the roster, role holders, investigations, tasks, meetings. */

export type IncidentRoleRow = typeof incidentRoles.$inferSelect;
export type RoleAssignmentRow = typeof incidentRoleAssignments.$inferSelect;
export type InvestigationRow = typeof investigations.$inferSelect;
export type FindingRow = typeof investigationFindings.$inferSelect;
export type IncidentTaskRow = typeof incidentTasks.$inferSelect;
export type MeetingRow = typeof incidentMeetings.$inferSelect;

// ---------- The roster ----------

export async function listIncidentRoles(db: Db): Promise<IncidentRoleRow[]> {
  return db.select().from(incidentRoles).orderBy(asc(incidentRoles.position), asc(incidentRoles.name));
}

export async function findIncidentRole(db: Db, id: string): Promise<IncidentRoleRow | undefined> {
  const [row] = await db.select().from(incidentRoles).where(eq(incidentRoles.id, id));
  return row;
}

export async function findIncidentRoleByKey(db: Db, key: string): Promise<IncidentRoleRow | undefined> {
  const [row] = await db.select().from(incidentRoles).where(eq(incidentRoles.key, key));
  return row;
}

export async function insertIncidentRole(db: Db, row: typeof incidentRoles.$inferInsert): Promise<IncidentRoleRow> {
  const [inserted] = await db.insert(incidentRoles).values(row).returning();
  return inserted;
}

/** Writes a new version of a role; undefined when `expectedVersion` no longer matches (or it is gone). */
export async function saveIncidentRole(
  db: Db,
  id: string,
  patch: Partial<typeof incidentRoles.$inferInsert>,
  expectedVersion: number,
): Promise<IncidentRoleRow | undefined> {
  const [row] = await db
    .update(incidentRoles)
    .set({ ...patch, version: expectedVersion + 1 })
    .where(and(eq(incidentRoles.id, id), eq(incidentRoles.version, expectedVersion)))
    .returning();
  return row;
}

// ---------- Role holders ----------

/** The current holders on an incident, with their roles and names, in the roster's order. */
export async function listCurrentHoldings(db: Db, ticketId: string) {
  return db
    .select({ assignment: incidentRoleAssignments, role: incidentRoles, holderName: users.name })
    .from(incidentRoleAssignments)
    .innerJoin(incidentRoles, eq(incidentRoles.id, incidentRoleAssignments.roleId))
    .innerJoin(users, eq(users.id, incidentRoleAssignments.userId))
    .where(and(eq(incidentRoleAssignments.ticketId, ticketId), isNull(incidentRoleAssignments.until)))
    .orderBy(asc(incidentRoles.position), asc(incidentRoleAssignments.since), asc(incidentRoleAssignments.id));
}

export async function insertRoleAssignment(db: Db, row: typeof incidentRoleAssignments.$inferInsert): Promise<RoleAssignmentRow> {
  const [inserted] = await db.insert(incidentRoleAssignments).values(row).returning();
  return inserted;
}

export async function endRoleAssignment(db: Db, id: string, until: Date, endedById: string | null): Promise<void> {
  await db.update(incidentRoleAssignments).set({ until, endedById }).where(eq(incidentRoleAssignments.id, id));
}

/** "What is my role": the roles a person holds now, with their incidents. */
export async function listHoldingsOfPerson(db: Db, userId: string) {
  return db
    .select({
      since: incidentRoleAssignments.since,
      role: incidentRoles,
      ticket: { id: tickets.id, number: tickets.number, title: tickets.title, state: tickets.state },
    })
    .from(incidentRoleAssignments)
    .innerJoin(incidentRoles, eq(incidentRoles.id, incidentRoleAssignments.roleId))
    .innerJoin(tickets, eq(tickets.id, incidentRoleAssignments.ticketId))
    .where(and(eq(incidentRoleAssignments.userId, userId), isNull(incidentRoleAssignments.until)))
    .orderBy(asc(incidentRoleAssignments.since), asc(incidentRoles.position), asc(incidentRoleAssignments.id));
}

/** The current holder of a role (by its key) on an incident, if any: the first one. */
export async function findHolderOfRoleKey(db: Db, ticketId: string, key: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: incidentRoleAssignments.userId })
    .from(incidentRoleAssignments)
    .innerJoin(incidentRoles, eq(incidentRoles.id, incidentRoleAssignments.roleId))
    .where(and(eq(incidentRoleAssignments.ticketId, ticketId), eq(incidentRoles.key, key), isNull(incidentRoleAssignments.until)))
    .orderBy(asc(incidentRoleAssignments.since))
    .limit(1);
  return row?.userId ?? null;
}

// ---------- Investigations ----------

export async function insertInvestigation(db: Db, row: typeof investigations.$inferInsert): Promise<InvestigationRow> {
  const [inserted] = await db.insert(investigations).values(row).returning();
  return inserted;
}

export async function findInvestigation(db: Db, ticketId: string, id: string): Promise<InvestigationRow | undefined> {
  const [row] = await db
    .select()
    .from(investigations)
    .where(and(eq(investigations.id, id), eq(investigations.ticketId, ticketId)));
  return row;
}

export async function listInvestigations(db: Db, ticketId: string): Promise<InvestigationRow[]> {
  return db
    .select()
    .from(investigations)
    .where(eq(investigations.ticketId, ticketId))
    .orderBy(asc(investigations.createdAt), asc(investigations.id));
}

export async function saveInvestigation(db: Db, id: string, patch: Partial<typeof investigations.$inferInsert>, version: number) {
  const [row] = await db
    .update(investigations)
    .set({ ...patch, version: version + 1 })
    .where(eq(investigations.id, id))
    .returning();
  return row;
}

export async function insertFinding(db: Db, row: typeof investigationFindings.$inferInsert): Promise<FindingRow> {
  const [inserted] = await db.insert(investigationFindings).values(row).returning();
  return inserted;
}

export async function findFinding(db: Db, id: string): Promise<FindingRow | undefined> {
  const [row] = await db.select().from(investigationFindings).where(eq(investigationFindings.id, id));
  return row;
}

export async function listFindings(db: Db, investigationIds: string[]): Promise<FindingRow[]> {
  if (investigationIds.length === 0) return [];
  return db
    .select()
    .from(investigationFindings)
    .where(inArray(investigationFindings.investigationId, investigationIds))
    .orderBy(asc(investigationFindings.at), asc(investigationFindings.id));
}

// ---------- Tasks ----------

export async function insertTask(db: Db, row: typeof incidentTasks.$inferInsert): Promise<IncidentTaskRow> {
  const [inserted] = await db.insert(incidentTasks).values(row).returning();
  return inserted;
}

export async function findTask(db: Db, ticketId: string, id: string): Promise<IncidentTaskRow | undefined> {
  const [row] = await db
    .select()
    .from(incidentTasks)
    .where(and(eq(incidentTasks.id, id), eq(incidentTasks.ticketId, ticketId)));
  return row;
}

export async function findTaskById(db: Db, id: string): Promise<IncidentTaskRow | undefined> {
  const [row] = await db.select().from(incidentTasks).where(eq(incidentTasks.id, id));
  return row;
}

export async function listTasks(db: Db, ticketId: string): Promise<IncidentTaskRow[]> {
  return db
    .select()
    .from(incidentTasks)
    .where(eq(incidentTasks.ticketId, ticketId))
    .orderBy(asc(incidentTasks.createdAt), asc(incidentTasks.id));
}

export async function saveTask(db: Db, id: string, patch: Partial<typeof incidentTasks.$inferInsert>, version: number) {
  const [row] = await db
    .update(incidentTasks)
    .set({ ...patch, version: version + 1 })
    .where(eq(incidentTasks.id, id))
    .returning();
  return row;
}

/** The overdue flag, set without a new version (nobody edited the task). */
export async function markTaskOverdueFlagged(db: Db, id: string, at: Date): Promise<void> {
  await db.update(incidentTasks).set({ overdueFlaggedAt: at }).where(eq(incidentTasks.id, id));
}

// ---------- Meetings ----------

export async function insertMeeting(db: Db, row: typeof incidentMeetings.$inferInsert): Promise<MeetingRow> {
  const [inserted] = await db.insert(incidentMeetings).values(row).returning();
  return inserted;
}

export async function findMeeting(db: Db, ticketId: string, id: string): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(incidentMeetings)
    .where(and(eq(incidentMeetings.id, id), eq(incidentMeetings.ticketId, ticketId)));
  return row;
}

export async function listMeetings(db: Db, ticketId: string): Promise<MeetingRow[]> {
  return db
    .select()
    .from(incidentMeetings)
    .where(eq(incidentMeetings.ticketId, ticketId))
    .orderBy(asc(incidentMeetings.startsAt), asc(incidentMeetings.id));
}

export async function saveMeeting(db: Db, id: string, patch: Partial<typeof incidentMeetings.$inferInsert>, version: number) {
  const [row] = await db
    .update(incidentMeetings)
    .set({ ...patch, version: version + 1 })
    .where(eq(incidentMeetings.id, id))
    .returning();
  return row;
}

/** Names of people, for presenting (id → name). */
export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
