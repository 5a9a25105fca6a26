import { asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { teamMembers, teams } from '../db/schema/index.js';

export type TeamRow = typeof teams.$inferSelect;
export type NewTeamRow = typeof teams.$inferInsert;

export async function insertTeam(db: Db, row: NewTeamRow): Promise<TeamRow> {
  const [created] = await db.insert(teams).values(row).returning();
  return created;
}

export async function findTeamById(db: Db, id: string): Promise<TeamRow | undefined> {
  const [row] = await db.select().from(teams).where(eq(teams.id, id));
  return row;
}

/** The teams that share new work fairly (a default strategy is set). */
export async function listFairAssignmentTeamIds(db: Db): Promise<Set<string>> {
  const rows = await db.select({ id: teams.id }).from(teams).where(isNotNull(teams.assignmentStrategy));
  return new Set(rows.map((r) => r.id));
}

export async function listTeams(db: Db): Promise<TeamRow[]> {
  return db
    .select()
    .from(teams)
    .orderBy(asc(sql`lower(${teams.name})`));
}

export async function updateTeam(db: Db, id: string, patch: Partial<NewTeamRow>): Promise<TeamRow | undefined> {
  // Nothing to change on the row itself (e.g. only members or dependencies changed).
  if (Object.keys(patch).length === 0) {
    const [current] = await db.select().from(teams).where(eq(teams.id, id));
    return current;
  }
  const [row] = await db.update(teams).set(patch).where(eq(teams.id, id)).returning();
  return row;
}

export async function listMemberIds(db: Db, teamIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return result;
  const rows = await db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds));
  for (const row of rows) result.get(row.teamId)?.push(row.userId);
  return result;
}

export async function replaceMembers(db: Db, teamId: string, userIds: string[]): Promise<void> {
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (userIds.length > 0) {
    await db.insert(teamMembers).values(userIds.map((userId) => ({ teamId, userId })));
  }
}

export async function listTeamIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId));
  return rows.map((r) => r.teamId);
}
