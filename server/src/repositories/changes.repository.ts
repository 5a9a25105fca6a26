import { and, asc, eq, gt, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { changeApprovals, changeLinks, changes, services, tickets, users } from '../db/schema/index.js';

export type ChangeRow = typeof changes.$inferSelect;
export type NewChangeRow = typeof changes.$inferInsert;

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'] as const;

export async function insertChange(db: Db, row: NewChangeRow): Promise<ChangeRow> {
  const [saved] = await db.insert(changes).values(row).returning();
  return saved;
}

export async function findChange(db: Db, ticketId: string): Promise<ChangeRow | undefined> {
  const [row] = await db.select().from(changes).where(eq(changes.ticketId, ticketId));
  return row;
}

export async function saveChange(db: Db, ticketId: string, patch: Partial<NewChangeRow>): Promise<ChangeRow> {
  const [row] = await db.update(changes).set(patch).where(eq(changes.ticketId, ticketId)).returning();
  return row;
}

/** A change's approvers with their names and decisions, in the order they were named (by name). */
export async function listApprovals(db: Db, changeId: string) {
  return db
    .select({
      approverId: changeApprovals.approverId,
      name: users.name,
      named: changeApprovals.named,
      decision: changeApprovals.decision,
      comment: changeApprovals.comment,
      decidedAt: changeApprovals.decidedAt,
    })
    .from(changeApprovals)
    .innerJoin(users, eq(users.id, changeApprovals.approverId))
    .where(eq(changeApprovals.changeId, changeId))
    .orderBy(asc(users.name));
}

export async function insertApprovers(db: Db, changeId: string, approverIds: readonly string[]): Promise<void> {
  if (approverIds.length === 0) return;
  await db
    .insert(changeApprovals)
    .values(approverIds.map((approverId) => ({ changeId, approverId })))
    .onConflictDoNothing();
}

/** Records a decision; for a change without named approvers the deciding manager's row is written now. */
export async function recordDecision(
  db: Db,
  row: { changeId: string; approverId: string; decision: 'approved' | 'rejected'; comment: string | null; decidedAt: Date },
): Promise<void> {
  await db
    .insert(changeApprovals)
    .values({ ...row, named: false })
    .onConflictDoUpdate({
      target: [changeApprovals.changeId, changeApprovals.approverId],
      set: { decision: row.decision, comment: row.comment, decidedAt: row.decidedAt },
    });
}

/** A (re)submitted change asks its named approvers again; a deciding manager's row (no one named) goes. */
export async function resetApprovals(db: Db, changeId: string): Promise<void> {
  await db
    .update(changeApprovals)
    .set({ decision: null, comment: null, decidedAt: null })
    .where(and(eq(changeApprovals.changeId, changeId), eq(changeApprovals.named, true)));
  await db.delete(changeApprovals).where(and(eq(changeApprovals.changeId, changeId), eq(changeApprovals.named, false)));
}

/** New named approvers replace the old ones (a draft's plan is being edited). */
export async function replaceApprovers(db: Db, changeId: string, approverIds: readonly string[]): Promise<void> {
  await db.delete(changeApprovals).where(eq(changeApprovals.changeId, changeId));
  await insertApprovers(db, changeId, approverIds);
}

/** Links tickets to a change; returns the ids newly linked (one linked again changes nothing). */
export async function insertLinks(db: Db, changeId: string, ticketIds: readonly string[], at: Date): Promise<string[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db
    .insert(changeLinks)
    .values(ticketIds.map((ticketId) => ({ changeId, ticketId, linkedAt: at })))
    .onConflictDoNothing()
    .returning({ ticketId: changeLinks.ticketId });
  return rows.map((r) => r.ticketId);
}

export async function listLinkedTickets(db: Db, changeId: string) {
  return db
    .select({ id: tickets.id, number: tickets.number, title: tickets.title, kind: tickets.kind, state: tickets.state })
    .from(changeLinks)
    .innerJoin(tickets, eq(tickets.id, changeLinks.ticketId))
    .where(eq(changeLinks.changeId, changeId))
    .orderBy(asc(tickets.number));
}

const calendarColumns = {
  id: tickets.id,
  number: tickets.number,
  title: tickets.title,
  state: tickets.state,
  serviceId: tickets.serviceId,
  serviceName: services.name,
  assigneeId: tickets.assigneeId,
  type: changes.type,
  risk: changes.risk,
  plannedStart: changes.plannedStart,
  plannedEnd: changes.plannedEnd,
  submittedAt: changes.submittedAt,
  approvedAt: changes.approvedAt,
  outcome: changes.outcome,
};

/** Changes whose planned window overlaps [from, to), earliest start first: the calendar and the list. */
export async function listChangesInWindow(db: Db, from: Date, to: Date, limit: number) {
  return db
    .select(calendarColumns)
    .from(changes)
    .innerJoin(tickets, eq(tickets.id, changes.ticketId))
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .where(and(lt(changes.plannedStart, to), gt(changes.plannedEnd, from)))
    .orderBy(asc(changes.plannedStart), asc(tickets.number))
    .limit(limit);
}

/** Open changes (not done, failed or cancelled) whose window overlaps [from, to): the conflict check's other side. */
export async function listOpenChangesOverlapping(db: Db, from: Date, to: Date, exceptId: string | null, limit: number) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      serviceId: tickets.serviceId,
      start: changes.plannedStart,
      end: changes.plannedEnd,
    })
    .from(changes)
    .innerJoin(tickets, eq(tickets.id, changes.ticketId))
    .where(
      and(
        lt(changes.plannedStart, to),
        gt(changes.plannedEnd, from),
        inArray(tickets.state, [...OPEN]),
        exceptId ? ne(tickets.id, exceptId) : undefined,
      ),
    )
    .limit(limit);
}

/** Open major incidents with a service: what a change's window must not make worse. */
export async function listOpenMajorIncidents(db: Db, limit: number) {
  return db
    .select({ id: tickets.id, number: tickets.number, serviceId: tickets.serviceId })
    .from(tickets)
    .where(
      and(eq(tickets.kind, 'incident'), isNotNull(tickets.majorSince), isNotNull(tickets.serviceId), inArray(tickets.state, [...OPEN])),
    )
    .limit(limit);
}
