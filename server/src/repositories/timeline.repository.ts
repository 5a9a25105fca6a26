import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { timelineEvents, users } from '../db/schema/index.js';
import { afterKey } from './keyset.js';
import { unnestInsert } from './unnest-insert.js';

export type TimelineEventRow = typeof timelineEvents.$inferSelect;
export type NewTimelineEventRow = typeof timelineEvents.$inferInsert;

/**
 * This transaction writes history that no one watches live (an import): the timeline trigger
 * announces none of its events (migration 0070 reads `firebreak.silent`). Transaction-local
 * (`set_config(…, true)`), so it ends with the transaction and never silences other work on the
 * pooled connection; the writer announces one refresh when it is done (`announceRefresh`).
 */
export async function withholdLiveAnnouncements(tx: Db, reason: 'import'): Promise<void> {
  await tx.execute(sql`SELECT set_config('firebreak.silent', ${reason}, true)`);
}

/**
 * One announcement in place of many withheld ones: every browser re-reads what it shows
 * (core/live-events.ts RefreshAnnouncement). In the caller's transaction when given one.
 */
export async function announceRefresh(db: Db, reason: 'import'): Promise<void> {
  await db.execute(sql`SELECT pg_notify('firebreak_events', ${JSON.stringify({ topic: 'refresh', reason })})`);
}

export async function appendTimelineEvents(db: Db, events: NewTimelineEventRow[]): Promise<TimelineEventRow[]> {
  if (events.length === 0) return [];
  return db.insert(timelineEvents).values(events).returning();
}

/**
 * The same without reading the rows back, for bulk writes that need nothing from them (an
 * import's batch, an alert storm's notes): one array per column (unnest-insert.ts).
 */
export async function appendTimelineEventsQuietly(db: Db, events: NewTimelineEventRow[]): Promise<void> {
  if (events.length === 0) return;
  await db.execute(unnestInsert(timelineEvents, events));
}

export async function listTimelineEvents(
  db: Db,
  options: { ticketId: string; includeInternal: boolean; afterId?: number; limit: number },
): Promise<(TimelineEventRow & { actorName: string | null })[]> {
  const rows = await db
    .select({ event: timelineEvents, actorName: users.name })
    .from(timelineEvents)
    .leftJoin(users, eq(users.id, timelineEvents.actorId))
    .where(
      and(
        eq(timelineEvents.ticketId, options.ticketId),
        options.includeInternal ? undefined : eq(timelineEvents.internal, false),
        options.afterId ? afterKey([timelineEvents.id], [options.afterId], 'asc') : undefined,
      ),
    )
    .orderBy(asc(timelineEvents.id))
    .limit(options.limit);
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

/**
 * What the completion checklist reads from a ticket's timeline, oldest first: preventive
 * measures, review dates, ticks of manual items, and public updates marked final (not every
 * comment: a major incident's conversation can be long).
 */
export async function listCompletionEvents(db: Db, ticketId: string): Promise<TimelineEventRow[]> {
  return db
    .select()
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        or(
          inArray(timelineEvents.type, ['preventive_measure', 'review_scheduled', 'checklist_item']),
          and(eq(timelineEvents.type, 'comment'), sql`${timelineEvents.data} ->> 'finalUpdate' = 'true'`),
        ),
      ),
    )
    .orderBy(asc(timelineEvents.id));
}

/**
 * The timelines of several tickets at once, each oldest first (one walk of the ticket index per
 * ticket): an export reads a page of tickets' timelines in one round trip, not one per ticket.
 */
export async function listTimelineEventsOfTickets(
  db: Db,
  options: { ticketIds: string[]; includeInternal: boolean },
): Promise<(TimelineEventRow & { actorName: string | null })[]> {
  if (options.ticketIds.length === 0) return [];
  const rows = await db
    .select({ event: timelineEvents, actorName: users.name })
    .from(timelineEvents)
    .leftJoin(users, eq(users.id, timelineEvents.actorId))
    .where(
      and(inArray(timelineEvents.ticketId, options.ticketIds), options.includeInternal ? undefined : eq(timelineEvents.internal, false)),
    )
    .orderBy(asc(timelineEvents.ticketId), asc(timelineEvents.id));
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}
