import { isCursorId, parseCursorInstant } from '../../../core/cursors.js';
import { AppError, notFound } from '../../../core/errors.js';
import type { AlertStatus } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { type ListedAlert, listAlerts } from '../repositories/alerts.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';

/** Alerts, most recently seen first, with an opaque cursor. */
export async function searchAlerts(
  db: Db,
  q: { integrationId?: string; status?: AlertStatus; ticketId?: string; cursor?: string; limit: number },
): Promise<{ items: ListedAlert[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows = await listAlerts(db, { ...q, after, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.lastSeenAt.toISOString(), last.id])).toString('base64url') : null;
  return { items, nextCursor };
}

export async function alertsOfTicket(db: Db, ticketId: string): Promise<ListedAlert[]> {
  if (!(await findTicketById(db, ticketId))) throw notFound('ticket');
  return (await searchAlerts(db, { ticketId, limit: 200 })).items;
}

function decodeCursor(cursor: string): { lastSeenAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const lastSeenAt = parseCursorInstant(at);
    if (lastSeenAt === null || !isCursorId(id)) throw new Error('bad');
    return { lastSeenAt, id };
  } catch {
    throw new AppError('validation_failed', 'cursor: is not a cursor this list gave out', {
      errors: [{ field: 'cursor', message: 'is not a cursor this list gave out' }],
    });
  }
}
