import { and, asc, count, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { type AFFECTED_VIA, ticketAffectedPeople, tickets, timelineEvents, users } from '../db/schema/index.js';
import type { TicketRow } from './tickets.repository.js';

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'] as const;

/** Tickets by id, in no particular order (the caller matches them up). */
export async function findTicketsByIds(db: Db, ids: readonly string[]): Promise<TicketRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(tickets)
    .where(inArray(tickets.id, [...ids]));
}

/** Locks many tickets at once, in id order (so two writers over the same tickets queue up instead of deadlocking). */
export async function lockTicketsInOrder(tx: Tx, ids: readonly string[]): Promise<TicketRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(tickets)
    .where(inArray(tickets.id, [...ids]))
    .orderBy(asc(tickets.id))
    .for('update');
}

/** The chain above a ticket: its parent, its parent's parent … (at most 50 steps: links refuse cycles). */
export async function listAncestorIds(db: Db, id: string): Promise<string[]> {
  const result = await db.execute(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM tickets WHERE id = ${id}
      UNION ALL
      SELECT t.id, t.parent_id, up.depth + 1 FROM tickets t JOIN up ON t.id = up.parent_id WHERE up.depth < 50
    )
    SELECT id FROM up WHERE id <> ${id}`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/** The children of an incident with what the desk lists of them, oldest link first by number. */
export async function listChildren(db: Db, parentId: string, limit: number) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      requesterId: tickets.requesterId,
      requesterName: users.name,
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.requesterId))
    .where(eq(tickets.parentId, parentId))
    .orderBy(asc(tickets.number))
    .limit(limit);
}

export async function countChildren(db: Db, parentId: string): Promise<{ all: number; open: number }> {
  const [row] = await db
    .select({ all: count(), open: sql<number>`count(*) FILTER (WHERE ${inArray(tickets.state, [...OPEN])})`.mapWith(Number) })
    .from(tickets)
    .where(eq(tickets.parentId, parentId));
  return { all: row?.all ?? 0, open: row?.open ?? 0 };
}

/** Whether an incident has any child still open (served by tickets_parent_idx). */
export async function hasOpenChildren(db: Db, parentId: string): Promise<boolean> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.parentId, parentId), inArray(tickets.state, [...OPEN])))
    .limit(1);
  return rows.length > 0;
}

/** The next batch of open children, in id order after `afterId`, for the job that resolves them. */
export async function listOpenChildIds(db: Db, parentId: string, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.parentId, parentId), inArray(tickets.state, [...OPEN]), afterId ? gt(tickets.id, afterId) : undefined))
    .orderBy(asc(tickets.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

export type AffectedVia = (typeof AFFECTED_VIA)[number];

/** Adds a person as affected; true when they were not affected before (a repeat changes nothing). */
export async function addAffectedPerson(
  db: Db,
  row: { ticketId: string; userId: string; via: AffectedVia; sourceTicketId: string | null; since: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(ticketAffectedPeople)
    .values(row)
    .onConflictDoNothing()
    .returning({ userId: ticketAffectedPeople.userId });
  return inserted.length > 0;
}

/** Everyone affected by a ticket, with how they came to be (for a merge, which hands them to the survivor). */
export async function listAffectedPeople(db: Db, ticketId: string) {
  return db
    .select({ userId: ticketAffectedPeople.userId, via: ticketAffectedPeople.via, sourceTicketId: ticketAffectedPeople.sourceTicketId })
    .from(ticketAffectedPeople)
    .where(eq(ticketAffectedPeople.ticketId, ticketId));
}

/** Removes the person a child made affected (when that child is unlinked); true when a row went. */
export async function removeAffectedBySource(db: Db, ticketId: string, sourceTicketId: string): Promise<boolean> {
  const removed = await db
    .delete(ticketAffectedPeople)
    .where(and(eq(ticketAffectedPeople.ticketId, ticketId), eq(ticketAffectedPeople.sourceTicketId, sourceTicketId)))
    .returning({ userId: ticketAffectedPeople.userId });
  return removed.length > 0;
}

export async function countAffectedPeople(db: Db, ticketId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(ticketAffectedPeople).where(eq(ticketAffectedPeople.ticketId, ticketId));
  return row?.n ?? 0;
}

export async function isAffected(db: Db, ticketId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: ticketAffectedPeople.userId })
    .from(ticketAffectedPeople)
    .where(and(eq(ticketAffectedPeople.ticketId, ticketId), eq(ticketAffectedPeople.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

/** Which of these children's requesters were already told that it is a known problem of this parent. */
export async function childrenToldOfParent(db: Db, childIds: readonly string[], parentId: string): Promise<Set<string>> {
  if (childIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ ticketId: timelineEvents.ticketId })
    .from(timelineEvents)
    .where(
      and(
        inArray(timelineEvents.ticketId, [...childIds]),
        eq(timelineEvents.type, 'comment'),
        sql`${timelineEvents.data}->>'notice' = 'known_problem'`,
        sql`${timelineEvents.data}->>'parentId' = ${parentId}`,
      ),
    );
  return new Set(rows.map((r) => r.ticketId));
}

/** Adds many affected people in one statement; those affected already are left as they are. */
export async function addAffectedPeople(
  db: Db,
  rows: readonly { ticketId: string; userId: string; via: AffectedVia; sourceTicketId: string | null; since: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  // One row per person: two children of the same requester make them affected once.
  const unique = [...new Map(rows.map((r) => [`${r.ticketId}:${r.userId}`, r])).values()];
  await db.insert(ticketAffectedPeople).values(unique).onConflictDoNothing();
}

/** Whether a person ever set the ticket's impact by hand: the impact rule leaves it alone then. */
export async function impactChosenByPerson(db: Db, ticketId: string): Promise<boolean> {
  const rows = await db
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, 'field_changed'),
        isNotNull(timelineEvents.actorId),
        sql`${timelineEvents.changes} @> '[{"field":"impact"}]'::jsonb`,
        // The affected-people rule's own raises are not a person's choice, whoever's action set them off.
        sql`coalesce(${timelineEvents.data}->>'rule', '') <> 'affected_people'`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** A ticket by its human number (INC0000042), exact. */
export async function findTicketByNumber(db: Db, number: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(tickets).where(eq(tickets.number, number.trim().toUpperCase()));
  return row;
}
