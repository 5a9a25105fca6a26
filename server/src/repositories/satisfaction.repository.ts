import { desc, eq, sql } from 'drizzle-orm';
import type { ExactInstant } from '../../../core/cursors.js';
import type { Db, Tx } from '../db/client.js';
import { satisfactionRatings, tickets } from '../db/schema/index.js';
import { afterKey, exactInstant } from './keyset.js';

export type SatisfactionRow = typeof satisfactionRatings.$inferSelect;

export async function lockRating(tx: Tx, ticketId: string): Promise<SatisfactionRow | undefined> {
  const [row] = await tx.select().from(satisfactionRatings).where(eq(satisfactionRatings.ticketId, ticketId)).for('update');
  return row;
}

export async function findRating(db: Db, ticketId: string): Promise<SatisfactionRow | undefined> {
  const [row] = await db.select().from(satisfactionRatings).where(eq(satisfactionRatings.ticketId, ticketId));
  return row;
}

/** Writes a rating; a first answer that raced another's loses (undefined) instead of overwriting it. */
export async function insertRating(tx: Tx, row: typeof satisfactionRatings.$inferInsert): Promise<SatisfactionRow | undefined> {
  const [created] = await tx.insert(satisfactionRatings).values(row).onConflictDoNothing().returning();
  return created;
}

export async function saveRating(
  tx: Tx,
  ticketId: string,
  patch: { rating: number; comment: string; changedAt: Date },
): Promise<SatisfactionRow> {
  const [row] = await tx
    .update(satisfactionRatings)
    .set({ ...patch, version: sql`${satisfactionRatings.version} + 1` })
    .where(eq(satisfactionRatings.ticketId, ticketId))
    .returning();
  return row;
}

/** Ratings newest first, for reports, with the ticket's number (keyset on answered_at, ticket). */
export async function listRatings(db: Db, query: { after?: [ExactInstant, string]; limit: number }) {
  return db
    .select({
      rating: satisfactionRatings,
      number: tickets.number,
      title: tickets.title,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      cursorAt: exactInstant(satisfactionRatings.answeredAt),
    })
    .from(satisfactionRatings)
    .innerJoin(tickets, eq(tickets.id, satisfactionRatings.ticketId))
    .where(query.after ? afterKey([satisfactionRatings.answeredAt, satisfactionRatings.ticketId], query.after, 'desc') : undefined)
    .orderBy(desc(satisfactionRatings.answeredAt), desc(satisfactionRatings.ticketId))
    .limit(query.limit);
}

/**
 * Tells the ticket's live listeners that its rating changed (a rating writes no timeline event),
 * on the channel and in the shape the timeline trigger uses (migration 0012), in the writer's
 * transaction so it is heard only once committed. Public: the requester rated it themselves.
 */
export async function announceRated(
  db: Db,
  ticket: { id: string; number: string; requesterId: string; reportedById: string; teamId: string | null; assigneeId: string | null },
): Promise<void> {
  const news = {
    topic: 'ticket',
    ticketId: ticket.id,
    number: ticket.number,
    eventId: null,
    type: 'rated',
    internal: false,
    requesterId: ticket.requesterId,
    reportedById: ticket.reportedById,
    teamId: ticket.teamId,
    assigneeId: ticket.assigneeId,
  };
  await db.execute(sql`SELECT pg_notify('firebreak_events', ${JSON.stringify(news)})`);
}
