import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import {
  incidentRoleAssignments,
  incidentUpdateCadences,
  services,
  stakeholderAudiences,
  teamMembers,
  tickets,
  timelineEvents,
  users,
} from '../db/schema/index.js';

export type CadenceRow = typeof incidentUpdateCadences.$inferSelect;
export type AudienceRow = typeof stakeholderAudiences.$inferSelect;

// ---------- The update cadence ----------

export async function findCadence(db: Db, ticketId: string): Promise<CadenceRow | undefined> {
  const [row] = await db.select().from(incidentUpdateCadences).where(eq(incidentUpdateCadences.ticketId, ticketId));
  return row;
}

/** Written by the pipeline's follow-up, in the change's transaction. */
export async function saveCadence(tx: Tx, row: typeof incidentUpdateCadences.$inferInsert): Promise<void> {
  const { ticketId, ...rest } = row;
  await tx.insert(incidentUpdateCadences).values(row).onConflictDoUpdate({ target: incidentUpdateCadences.ticketId, set: rest });
}

export async function markReminded(tx: Tx, ticketId: string, stage: 'due' | 'overdue', dueAt: Date, now: Date): Promise<void> {
  await tx
    .update(incidentUpdateCadences)
    .set(stage === 'due' ? { remindedFor: dueAt, updatedAt: now } : { overdueFor: dueAt, updatedAt: now })
    .where(eq(incidentUpdateCadences.ticketId, ticketId));
}

/** The open incidents that have an update due, soonest first: the desk queue's badges. Few at any time (major incidents only). */
export async function listDueUpdates(db: Db, limit: number) {
  return db
    .select({
      ticketId: incidentUpdateCadences.ticketId,
      number: tickets.number,
      priority: tickets.priority,
      nextDueAt: incidentUpdateCadences.nextDueAt,
      lastUpdateAt: incidentUpdateCadences.lastUpdateAt,
    })
    .from(incidentUpdateCadences)
    .innerJoin(tickets, eq(tickets.id, incidentUpdateCadences.ticketId))
    .where(and(isNotNull(incidentUpdateCadences.nextDueAt), inArray(tickets.state, [...OPEN_STATES])))
    .orderBy(asc(incidentUpdateCadences.nextDueAt))
    .limit(limit);
}

// ---------- Audiences ----------

export async function listAudiences(db: Db): Promise<AudienceRow[]> {
  return db.select().from(stakeholderAudiences).orderBy(asc(stakeholderAudiences.name));
}

export async function findAudience(db: Db, id: string): Promise<AudienceRow | undefined> {
  const [row] = await db.select().from(stakeholderAudiences).where(eq(stakeholderAudiences.id, id));
  return row;
}

export async function findAudiencesByIds(db: Db, ids: string[]): Promise<AudienceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(stakeholderAudiences).where(inArray(stakeholderAudiences.id, ids));
}

export async function findAudienceByName(db: Db, name: string): Promise<AudienceRow | undefined> {
  const [row] = await db.select().from(stakeholderAudiences).where(sql`lower(${stakeholderAudiences.name}) = lower(${name})`);
  return row;
}

export async function insertAudience(db: Db, row: typeof stakeholderAudiences.$inferInsert): Promise<AudienceRow> {
  const [inserted] = await db.insert(stakeholderAudiences).values(row).returning();
  return inserted;
}

export async function saveAudience(db: Db, id: string, patch: Partial<typeof stakeholderAudiences.$inferInsert>): Promise<AudienceRow> {
  const [saved] = await db
    .update(stakeholderAudiences)
    .set({ ...patch, version: sql`${stakeholderAudiences.version} + 1` })
    .where(eq(stakeholderAudiences.id, id))
    .returning();
  return saved;
}

export async function deleteAudience(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(stakeholderAudiences).where(eq(stakeholderAudiences.id, id)).returning({ id: stakeholderAudiences.id });
  return deleted.length > 0;
}

/** Active members of these teams, by team. */
export async function activeMemberIdsOfTeams(db: Db, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(inArray(teamMembers.teamId, teamIds), eq(users.active, true)));
  return rows.map((r) => r.userId);
}

/** The people holding a response role on the incident now. */
export async function currentRoleHolderIds(db: Db, ticketId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: incidentRoleAssignments.userId })
    .from(incidentRoleAssignments)
    .where(and(eq(incidentRoleAssignments.ticketId, ticketId), isNull(incidentRoleAssignments.until)));
  return rows.map((r) => r.userId);
}

export async function serviceNameOf(db: Db, serviceId: string | null): Promise<string | null> {
  if (!serviceId) return null;
  const [row] = await db.select({ name: services.name }).from(services).where(eq(services.id, serviceId));
  return row?.name ?? null;
}

/** The incident's timeline as the evaluation points read it (type, instant, changes), in order. */
export async function listEvaluationFacts(db: Db, ticketId: string) {
  return db
    .select({ type: timelineEvents.type, at: timelineEvents.at, changes: timelineEvents.changes })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        inArray(timelineEvents.type, [
          'major_declared',
          'scope_changed',
          'field_changed',
          'priority_overridden',
          'state_changed',
          'stakeholder_update',
        ]),
      ),
    )
    .orderBy(asc(timelineEvents.id));
}

/** The updates sent on an incident (newest first), for the composer's history. */
export async function listStakeholderUpdates(db: Db, ticketId: string, limit: number) {
  return db
    .select({
      id: timelineEvents.id,
      at: timelineEvents.at,
      actorId: timelineEvents.actorId,
      body: timelineEvents.body,
      data: timelineEvents.data,
    })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.ticketId, ticketId), eq(timelineEvents.type, 'stakeholder_update')))
    .orderBy(sql`${timelineEvents.id} desc`)
    .limit(limit);
}
