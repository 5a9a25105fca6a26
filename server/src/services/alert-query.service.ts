import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import { notFound } from '../../../core/errors.js';
import type { AlertStatus } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { type ListedAlert, listAlerts } from '../repositories/alerts.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';

/** Alerts page by when each was last seen, then id. */
const alertCursor = keysetCursor('base64url-json', ['instant', 'id']);

/** Alerts, most recently seen first, with an opaque cursor. */
export async function searchAlerts(
  db: Db,
  q: { integrationId?: string; status?: AlertStatus; ticketId?: string; cursor?: string; limit: number },
): Promise<{ items: ListedAlert[]; nextCursor: string | null }> {
  const after = q.cursor ? alertCursor.decode(q.cursor) : undefined;
  const rows = await listAlerts(db, { ...q, after: after && { lastSeenAt: after[0], id: after[1] }, limit: q.limit + 1 });
  const page = keysetPage(rows, q.limit, alertCursor, (alert) => [alert.cursorAt, alert.id]);
  return { items: page.items.map(({ cursorAt: _, ...alert }) => alert), nextCursor: page.nextCursor };
}

export async function alertsOfTicket(db: Db, ticketId: string): Promise<ListedAlert[]> {
  if (!(await findTicketById(db, ticketId))) throw notFound('ticket');
  return (await searchAlerts(db, { ticketId, limit: 200 })).items;
}
