import { type Actor, canSeeInternal } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import type { TicketListRow } from '../repositories/tickets.repository.js';
import { listTimelineEventsOfTickets, type TimelineEventRow } from '../repositories/timeline.repository.js';
import { searchTickets, type TicketQuery } from './ticket-query.service.js';

/** Tickets per keyset page of an export: big enough to amortise a round trip, small enough to hold. */
export const EXPORT_PAGE_SIZE = 500;

export type ExportQuery = Omit<TicketQuery, 'cursor' | 'limit'>;
export type ExportedEvent = TimelineEventRow & { actorName: string | null };
export interface ExportedTicket {
  view: TicketListRow;
  /** Present when the export asked for timelines (JSON lines); what the caller may see of it. */
  timeline?: ExportedEvent[];
}

/**
 * Every ticket the caller sees in the queue with these filters, page by keyset page (the queue's
 * own search, so an export lists exactly what the queue lists), each page with its tickets'
 * timelines when asked. Only one page is held at a time: the consumer pulls the next page when
 * it has written the last one, so a million tickets never sit in memory.
 *
 * The first page is read before this returns, so a refusal (a bad filter, a forbidden one) reaches
 * the caller as an error rather than as a cut-off stream.
 */
export async function exportTickets(
  db: Db,
  actor: Actor,
  query: ExportQuery,
  options: { timelines: boolean; pageSize?: number },
): Promise<AsyncGenerator<ExportedTicket[]>> {
  const limit = options.pageSize ?? EXPORT_PAGE_SIZE;
  const includeInternal = canSeeInternal(actor);
  const readPage = async (cursor: string | undefined) => {
    const page = await searchTickets(db, actor, { ...query, cursor, limit });
    if (!options.timelines) return { items: page.items.map((view) => ({ view })), nextCursor: page.nextCursor };
    const events = await listTimelineEventsOfTickets(db, { ticketIds: page.items.map((v) => v.ticket.id), includeInternal });
    const byTicket = new Map<string, ExportedEvent[]>();
    for (const event of events) {
      const list = byTicket.get(event.ticketId);
      if (list) list.push(event);
      else byTicket.set(event.ticketId, [event]);
    }
    return { items: page.items.map((view) => ({ view, timeline: byTicket.get(view.ticket.id) ?? [] })), nextCursor: page.nextCursor };
  };
  const first = await readPage(undefined);
  return (async function* pages() {
    let page = first;
    while (true) {
      if (page.items.length > 0) yield page.items;
      if (!page.nextCursor) return;
      page = await readPage(page.nextCursor);
    }
  })();
}
