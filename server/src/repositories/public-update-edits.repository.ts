import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { timelineEvents, users } from '../db/schema/index.js';
import { isPublicDeskComment } from './known-issues.repository.js';

/**
 * Corrections of sent public updates (issue 15). The timeline stays append-only: the update's
 * own event keeps the words first sent, and each correction is a `public_update_edited` event
 * (body: the new text, data.updateId: the update corrected). The current text is the last
 * correction's.
 */

export interface PublicUpdateRow {
  id: number;
  ticketId: string;
  at: Date;
  body: string;
  actorId: string | null;
}

/** A public update of the desk (a staff public comment), whichever ticket it is on; undefined when there is none with this id. */
export async function findPublicUpdate(db: Db, eventId: number): Promise<PublicUpdateRow | undefined> {
  const [row] = await db
    .select({
      id: timelineEvents.id,
      ticketId: timelineEvents.ticketId,
      at: timelineEvents.at,
      body: timelineEvents.body,
      actorId: timelineEvents.actorId,
    })
    .from(timelineEvents)
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(eq(timelineEvents.id, eventId), isPublicDeskComment()));
  return row ? { ...row, body: row.body ?? '' } : undefined;
}

/** The ids and instants of a ticket's public desk updates, oldest first. */
export async function listPublicUpdateIds(db: Db, ticketId: string): Promise<{ id: number; at: Date }[]> {
  return db
    .select({ id: timelineEvents.id, at: timelineEvents.at })
    .from(timelineEvents)
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(eq(timelineEvents.ticketId, ticketId), isPublicDeskComment()))
    .orderBy(asc(timelineEvents.id));
}

export interface UpdateEditRow {
  id: number;
  updateId: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  from: string;
  to: string;
  notify: boolean;
}

/** Every correction of the updates on these tickets, oldest first. */
export async function listUpdateEdits(db: Db, ticketIds: string[]): Promise<UpdateEditRow[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db
    .select({ event: timelineEvents, actorName: users.name })
    .from(timelineEvents)
    .leftJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(inArray(timelineEvents.ticketId, ticketIds), eq(timelineEvents.type, 'public_update_edited')))
    .orderBy(asc(timelineEvents.id));
  return rows.map(({ event, actorName }) => {
    const change = event.changes?.find((c) => c.field === 'text');
    return {
      id: event.id,
      updateId: Number(event.data?.updateId),
      at: event.at,
      actorId: event.actorId,
      actorName,
      from: typeof change?.from === 'string' ? change.from : '',
      to: event.body ?? '',
      notify: event.data?.notify === true,
    };
  });
}

/** The current text of each corrected update and when it was last corrected, by update id. */
export function latestEdits(edits: readonly UpdateEditRow[]): Map<number, UpdateEditRow & { revision: number }> {
  const out = new Map<number, UpdateEditRow & { revision: number }>();
  for (const e of edits) out.set(e.updateId, { ...e, revision: (out.get(e.updateId)?.revision ?? 1) + 1 });
  return out;
}
