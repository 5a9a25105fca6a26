import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ticketFollowers, tickets } from '../db/schema/index.js';

/** Follows a ticket; following it again changes nothing (the first time is kept). */
export async function addFollower(db: Db, ticketId: string, userId: string, since: Date): Promise<void> {
  await db.insert(ticketFollowers).values({ ticketId, userId, since }).onConflictDoNothing();
}

export async function removeFollower(db: Db, ticketId: string, userId: string): Promise<void> {
  await db.delete(ticketFollowers).where(and(eq(ticketFollowers.ticketId, ticketId), eq(ticketFollowers.userId, userId)));
}

export async function isFollowing(db: Db, ticketId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: ticketFollowers.userId })
    .from(ticketFollowers)
    .where(and(eq(ticketFollowers.ticketId, ticketId), eq(ticketFollowers.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

export async function listFollowerIds(db: Db, ticketId: string): Promise<string[]> {
  const rows = await db.select({ userId: ticketFollowers.userId }).from(ticketFollowers).where(eq(ticketFollowers.ticketId, ticketId));
  return rows.map((r) => r.userId);
}

/** What a person follows, most recently followed first, with what the portal shows of each. */
export async function listFollowedTickets(db: Db, userId: string, limit: number) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      since: ticketFollowers.since,
    })
    .from(ticketFollowers)
    .innerJoin(tickets, eq(tickets.id, ticketFollowers.ticketId))
    .where(eq(ticketFollowers.userId, userId))
    .orderBy(desc(ticketFollowers.since))
    .limit(limit);
}
