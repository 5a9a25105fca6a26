import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { actionItems, incidentReviews, tickets, timelineEvents, users } from '../db/schema/index.js';
import type { TimelineEventRow } from './timeline.repository.js';

/** All SQL of post-incident reviews and their action items (issue 17). */

export type ReviewRow = typeof incidentReviews.$inferSelect;
export type ActionItemRow = typeof actionItems.$inferSelect;

export async function findReviewOfTicket(db: Db, ticketId: string): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(incidentReviews).where(eq(incidentReviews.ticketId, ticketId));
  return row;
}

/** Inserts the review unless the incident already has one (then undefined: two people drafting at once get one review). */
export async function insertReview(db: Db, row: typeof incidentReviews.$inferInsert): Promise<ReviewRow | undefined> {
  const [inserted] = await db.insert(incidentReviews).values(row).onConflictDoNothing({ target: incidentReviews.ticketId }).returning();
  return inserted;
}

/** Writes a new version; undefined when `expectedVersion` no longer matches. */
export async function saveReview(
  db: Db,
  id: string,
  patch: Partial<typeof incidentReviews.$inferInsert>,
  expectedVersion: number,
): Promise<ReviewRow | undefined> {
  const [row] = await db
    .update(incidentReviews)
    .set({ ...patch, version: expectedVersion + 1 })
    .where(and(eq(incidentReviews.id, id), eq(incidentReviews.version, expectedVersion)))
    .returning();
  return row;
}

export async function insertActionItem(db: Db, row: typeof actionItems.$inferInsert): Promise<ActionItemRow> {
  const [inserted] = await db.insert(actionItems).values(row).returning();
  return inserted;
}

export async function findActionItem(db: Db, id: string): Promise<ActionItemRow | undefined> {
  const [row] = await db.select().from(actionItems).where(eq(actionItems.id, id));
  return row;
}

export async function saveActionItem(
  db: Db,
  id: string,
  patch: Partial<typeof actionItems.$inferInsert>,
  expectedVersion: number,
): Promise<ActionItemRow | undefined> {
  const [row] = await db
    .update(actionItems)
    .set({ ...patch, version: expectedVersion + 1 })
    .where(and(eq(actionItems.id, id), eq(actionItems.version, expectedVersion)))
    .returning();
  return row;
}

/**
 * Marks one reminder sent, once: true only for the call that marked it, and only while the item
 * is open and still due on `dueOn` (a moved due date clears both marks and has its own timers).
 */
export async function markReminderSent(db: Db, id: string, kind: 'before' | 'due', dueOn: string, at: Date): Promise<boolean> {
  const column = kind === 'before' ? actionItems.remindedBeforeAt : actionItems.remindedDueAt;
  const rows = await db
    .update(actionItems)
    .set(kind === 'before' ? { remindedBeforeAt: at } : { remindedDueAt: at })
    .where(and(eq(actionItems.id, id), eq(actionItems.state, 'open'), eq(actionItems.dueOn, dueOn), isNull(column)))
    .returning({ id: actionItems.id });
  return rows.length > 0;
}

/** The action items with their incident's number and title and the owner's name, for lists. */
const listed = {
  item: actionItems,
  ticketNumber: tickets.number,
  ticketTitle: tickets.title,
  ownerName: users.name,
  ownerTimeZone: users.timeZone,
};
export type ListedActionItem = { item: ActionItemRow; ticketNumber: string; ticketTitle: string; ownerName: string; ownerTimeZone: string };

export async function listActionItemsOfTicket(db: Db, ticketId: string): Promise<ListedActionItem[]> {
  return db
    .select(listed)
    .from(actionItems)
    .innerJoin(tickets, eq(tickets.id, actionItems.ticketId))
    .innerJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.ticketId, ticketId))
    .orderBy(asc(actionItems.createdAt), asc(actionItems.id));
}

/** A person's open action items, soonest due first. */
export async function listOpenActionItemsOfOwner(db: Db, ownerId: string, limit: number): Promise<ListedActionItem[]> {
  return db
    .select(listed)
    .from(actionItems)
    .innerJoin(tickets, eq(tickets.id, actionItems.ticketId))
    .innerJoin(users, eq(users.id, actionItems.ownerId))
    .where(and(eq(actionItems.ownerId, ownerId), eq(actionItems.state, 'open')))
    .orderBy(asc(actionItems.dueOn), asc(actionItems.id))
    .limit(limit);
}

/** Open items due before `before` (a date, YYYY-MM-DD): candidates for "overdue", oldest due first. */
export async function listOpenActionItemsDueBefore(db: Db, before: string, limit: number): Promise<ListedActionItem[]> {
  return db
    .select(listed)
    .from(actionItems)
    .innerJoin(tickets, eq(tickets.id, actionItems.ticketId))
    .innerJoin(users, eq(users.id, actionItems.ownerId))
    .where(and(eq(actionItems.state, 'open'), lt(actionItems.dueOn, before)))
    .orderBy(asc(actionItems.dueOn), asc(actionItems.id))
    .limit(limit);
}

/** What a review is drafted from on the timeline: alerts, acknowledged pages, declarations, updates sent; oldest first. */
export async function listReviewEvents(db: Db, ticketId: string): Promise<TimelineEventRow[]> {
  return db
    .select()
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        inArray(timelineEvents.type, ['alert', 'page_acknowledged', 'major_declared', 'stakeholder_update', 'root_cause_recorded']),
      ),
    )
    .orderBy(asc(timelineEvents.id));
}

export async function findListedActionItem(db: Db, id: string): Promise<ListedActionItem | undefined> {
  const [row] = await db
    .select(listed)
    .from(actionItems)
    .innerJoin(tickets, eq(tickets.id, actionItems.ticketId))
    .innerJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.id, id));
  return row;
}
