import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { escalationPolicies, onCallOverrides, onCallSchedules, pageRecipients, pages, services, teams } from '../db/schema/index.js';

export type ScheduleRow = typeof onCallSchedules.$inferSelect;
export type NewScheduleRow = typeof onCallSchedules.$inferInsert;
export type OverrideRow = typeof onCallOverrides.$inferSelect;
export type EscalationPolicyRow = typeof escalationPolicies.$inferSelect;
export type NewEscalationPolicyRow = typeof escalationPolicies.$inferInsert;
export type PageRow = typeof pages.$inferSelect;

// ---- Schedules and overrides ----

export async function insertSchedule(db: Db, row: NewScheduleRow): Promise<ScheduleRow> {
  const [created] = await db.insert(onCallSchedules).values(row).returning();
  return created;
}

export async function findScheduleById(db: Db, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(onCallSchedules).where(eq(onCallSchedules.id, id));
  return row;
}

/** Locks the schedule row: overrides are checked for overlap under it, so two writers cannot both pass. */
export async function lockSchedule(db: Db, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(onCallSchedules).where(eq(onCallSchedules.id, id)).for('update');
  return row;
}

export async function findSchedulesByIds(db: Db, ids: string[]): Promise<ScheduleRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(onCallSchedules).where(inArray(onCallSchedules.id, ids));
}

export async function listSchedules(db: Db): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(onCallSchedules)
    .orderBy(asc(sql`lower(${onCallSchedules.name})`));
}

export async function updateSchedule(db: Db, id: string, patch: Partial<NewScheduleRow>): Promise<ScheduleRow | undefined> {
  const [row] = await db.update(onCallSchedules).set(patch).where(eq(onCallSchedules.id, id)).returning();
  return row;
}

export async function deleteSchedule(db: Db, id: string): Promise<boolean> {
  return (await db.delete(onCallSchedules).where(eq(onCallSchedules.id, id)).returning({ id: onCallSchedules.id })).length > 0;
}

/** The overrides of some schedules that overlap [from, to) (all of them without a range). */
export async function listOverrides(db: Db, scheduleIds: string[], range?: { from: Date; to: Date }): Promise<OverrideRow[]> {
  if (scheduleIds.length === 0) return [];
  return db
    .select()
    .from(onCallOverrides)
    .where(
      and(
        inArray(onCallOverrides.scheduleId, scheduleIds),
        range ? and(lt(onCallOverrides.startsAt, range.to), gt(onCallOverrides.endsAt, range.from)) : undefined,
      ),
    )
    .orderBy(asc(onCallOverrides.startsAt));
}

export async function insertOverride(db: Db, row: typeof onCallOverrides.$inferInsert): Promise<OverrideRow> {
  const [created] = await db.insert(onCallOverrides).values(row).returning();
  return created;
}

export async function deleteOverride(db: Db, scheduleId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(onCallOverrides)
    .where(and(eq(onCallOverrides.id, id), eq(onCallOverrides.scheduleId, scheduleId)))
    .returning({ id: onCallOverrides.id });
  return rows.length > 0;
}

export async function findScheduleByFeedHash(db: Db, id: string, hash: string): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .select()
    .from(onCallSchedules)
    .where(and(eq(onCallSchedules.id, id), eq(onCallSchedules.feedTokenHash, hash)));
  return row;
}

// ---- Escalation policies ----

export async function insertEscalationPolicy(db: Db, row: NewEscalationPolicyRow): Promise<EscalationPolicyRow> {
  const [created] = await db.insert(escalationPolicies).values(row).returning();
  return created;
}

export async function findEscalationPolicyById(db: Db, id: string): Promise<EscalationPolicyRow | undefined> {
  const [row] = await db.select().from(escalationPolicies).where(eq(escalationPolicies.id, id));
  return row;
}

export async function listEscalationPolicies(db: Db): Promise<EscalationPolicyRow[]> {
  return db
    .select()
    .from(escalationPolicies)
    .orderBy(asc(sql`lower(${escalationPolicies.name})`));
}

export async function updateEscalationPolicy(
  db: Db,
  id: string,
  patch: Partial<NewEscalationPolicyRow>,
): Promise<EscalationPolicyRow | undefined> {
  const [row] = await db.update(escalationPolicies).set(patch).where(eq(escalationPolicies.id, id)).returning();
  return row;
}

/** Schedules named by any policy's levels: such a schedule cannot be deleted. */
export async function policiesTargeting(db: Db, type: 'schedule', id: string): Promise<EscalationPolicyRow[]> {
  return db
    .select()
    .from(escalationPolicies)
    .where(sql`${escalationPolicies.levels} @> ${JSON.stringify([{ targets: [{ type, id }] }])}::jsonb`);
}

/** Which teams and services use each policy. */
export async function listPolicyAssignments(db: Db, policyIds: string[]) {
  const result = new Map<string, { teamIds: string[]; serviceIds: string[] }>(policyIds.map((id) => [id, { teamIds: [], serviceIds: [] }]));
  if (policyIds.length === 0) return result;
  for (const row of await db
    .select({ id: teams.id, policyId: teams.escalationPolicyId })
    .from(teams)
    .where(inArray(teams.escalationPolicyId, policyIds))) {
    result.get(row.policyId as string)?.teamIds.push(row.id);
  }
  for (const row of await db
    .select({ id: services.id, policyId: services.escalationPolicyId })
    .from(services)
    .where(inArray(services.escalationPolicyId, policyIds))) {
    result.get(row.policyId as string)?.serviceIds.push(row.id);
  }
  return result;
}

/** Makes exactly these teams and services use the policy (others using it are released). */
export async function assignPolicy(db: Db, policyId: string, teamIds: string[] | undefined, serviceIds: string[] | undefined) {
  if (teamIds) {
    await db.update(teams).set({ escalationPolicyId: null }).where(eq(teams.escalationPolicyId, policyId));
    if (teamIds.length > 0) await db.update(teams).set({ escalationPolicyId: policyId }).where(inArray(teams.id, teamIds));
  }
  if (serviceIds) {
    await db.update(services).set({ escalationPolicyId: null }).where(eq(services.escalationPolicyId, policyId));
    if (serviceIds.length > 0) await db.update(services).set({ escalationPolicyId: policyId }).where(inArray(services.id, serviceIds));
  }
}

/** The policy for a ticket: its team's, else its service's. */
export async function findPolicyIdForTicket(db: Db, ticket: { teamId: string | null; serviceId: string | null }): Promise<string | null> {
  if (ticket.teamId) {
    const [row] = await db.select({ policyId: teams.escalationPolicyId }).from(teams).where(eq(teams.id, ticket.teamId));
    if (row?.policyId) return row.policyId;
  }
  if (ticket.serviceId) {
    const [row] = await db.select({ policyId: services.escalationPolicyId }).from(services).where(eq(services.id, ticket.serviceId));
    if (row?.policyId) return row.policyId;
  }
  return null;
}

// ---- Pages ----

export async function insertPage(db: Db, row: typeof pages.$inferInsert): Promise<PageRow> {
  const [created] = await db.insert(pages).values(row).returning();
  return created;
}

export async function lockPage(db: Tx, id: string): Promise<PageRow | undefined> {
  const [row] = await db.select().from(pages).where(eq(pages.id, id)).for('update');
  return row;
}

export async function findPageById(db: Db, id: string): Promise<PageRow | undefined> {
  const [row] = await db.select().from(pages).where(eq(pages.id, id));
  return row;
}

export async function findPagesByIds(db: Db, ids: string[]): Promise<PageRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(pages).where(inArray(pages.id, ids));
}

export async function savePage(db: Db, id: string, patch: Partial<typeof pages.$inferInsert>): Promise<PageRow> {
  const [row] = await db.update(pages).set(patch).where(eq(pages.id, id)).returning();
  return row;
}

export async function listPagesOfTicket(db: Db, ticketId: string): Promise<PageRow[]> {
  return db.select().from(pages).where(eq(pages.ticketId, ticketId)).orderBy(desc(pages.createdAt), desc(pages.id));
}

export async function listTriggeredPagesOfTicket(db: Db, ticketId: string): Promise<PageRow[]> {
  return db
    .select()
    .from(pages)
    .where(and(eq(pages.ticketId, ticketId), eq(pages.state, 'triggered')))
    .for('update');
}

export async function insertPageRecipients(db: Db, rows: (typeof pageRecipients.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(pageRecipients).values(rows).onConflictDoNothing();
}

export async function listPageRecipients(db: Db, pageIds: string[]) {
  if (pageIds.length === 0) return [];
  return db
    .select()
    .from(pageRecipients)
    .where(inArray(pageRecipients.pageId, pageIds))
    .orderBy(asc(pageRecipients.round), asc(pageRecipients.level), asc(pageRecipients.pagedAt));
}

export async function wasPaged(db: Db, pageId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: pageRecipients.userId })
    .from(pageRecipients)
    .where(and(eq(pageRecipients.pageId, pageId), eq(pageRecipients.userId, userId)))
    .limit(1);
  return rows.length > 0;
}
