import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { timelineEvents, users } from '../db/schema/index.js';
import { afterKey } from './keyset.js';

export type TimelineEventRow = typeof timelineEvents.$inferSelect;
export type NewTimelineEventRow = typeof timelineEvents.$inferInsert;

export async function appendTimelineEvents(db: Db, events: NewTimelineEventRow[]): Promise<TimelineEventRow[]> {
  if (events.length === 0) return [];
  return db.insert(timelineEvents).values(events).returning();
}

/** The same without reading the rows back, for bulk writes that need nothing from them. */
export async function appendTimelineEventsQuietly(db: Db, events: NewTimelineEventRow[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(timelineEvents).values(events);
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
