import { isCursorId, parseCursorInstant, parseCursorInteger, parseSequenceCursor } from '../../../core/cursors.js';
import { fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeInternal, canSeeTicket, isStaff } from '../../../core/permissions.js';
import { OPEN_STATES, type Priority, type TicketKind, type TicketState } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { namesByIds } from '../repositories/names.repository.js';
import {
  cursorOf,
  findTicketView,
  listTickets,
  type TicketCursor,
  type TicketFilter,
  type TicketListRow,
  type TicketSort,
} from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { findUserIdsMatching } from '../repositories/users.repository.js';

export async function getTicketView(db: Db, actor: Actor, id: string): Promise<TicketListRow> {
  const view = await findTicketView(db, id);
  if (!view || !canSeeTicket(actor, view.ticket)) throw notFound('ticket');
  return view;
}

export interface TicketQuery {
  kind?: TicketKind[];
  state?: (TicketState | 'open')[];
  priority?: Priority[];
  teamId?: string[];
  assigneeId?: string | 'me' | 'none';
  requesterId?: string | 'me';
  serviceId?: string;
  categoryId?: string;
  q?: string;
  slaDueBefore?: string;
  sort: TicketSort;
  cursor?: string;
  limit: number;
}

/** A short word ("an") matches many people: the search looks at the tickets of the first 200. */
const REQUESTER_MATCH_LIMIT = 200;

/** Lists tickets with filters, a sort and keyset pagination. Requesters only ever see their own. */
export async function searchTickets(
  db: Db,
  actor: Actor,
  query: TicketQuery,
): Promise<{ items: TicketListRow[]; nextCursor: string | null }> {
  const states = query.state?.flatMap((s) => (s === 'open' ? OPEN_STATES : [s]));
  // Staff's search also finds a requester by name or e-mail ("Becker"); a requester sees only
  // their own tickets, so for them that would find nothing more.
  const textRequesterIds = query.q?.trim() && isStaff(actor) ? await findUserIdsMatching(db, query.q, REQUESTER_MATCH_LIMIT) : undefined;
  const filter: TicketFilter = {
    kind: query.kind,
    state: states,
    priority: query.priority,
    teamId: query.teamId,
    assigneeId: query.assigneeId === 'none' ? null : query.assigneeId === 'me' ? actor.id : query.assigneeId,
    requesterId: query.requesterId === 'me' ? actor.id : query.requesterId,
    // Requesters only ever see tickets they requested or reported, whatever else they ask for.
    participantId: isStaff(actor) ? undefined : actor.id,
    serviceId: query.serviceId,
    categoryId: query.categoryId,
    text: query.q,
    textRequesterIds,
    slaDueBefore: query.slaDueBefore ? new Date(query.slaDueBefore) : undefined,
    // Keyset pages need a value to sort by: sorting by SLA lists the tickets that have one.
    hasSlaDue: query.sort === 'slaDueAt' ? true : undefined,
  };
  const rows = await listTickets(db, {
    filter,
    sort: query.sort,
    cursor: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined,
    limit: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(cursorOf(last.ticket, query.sort), query.sort) : null };
}

function encodeCursor(cursor: TicketCursor, sort: TicketSort): string {
  return Buffer.from(JSON.stringify({ s: sort, k: cursor })).toString('base64url');
}

function decodeCursor(text: string, sort: TicketSort): TicketCursor {
  const refuse = () => fieldError('validation_failed', 'cursor', 'is not a cursor from this list with this sort; start again without it');
  let parsed: { s?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  // The cursor's shape is the one cursorOf makes for this sort: [priority,] instant, id.
  const k = parsed?.s === sort && Array.isArray(parsed.k) ? (parsed.k as unknown[]) : null;
  const byPriority = sort === 'priority' || sort === '-priority';
  if (!k || k.length !== (byPriority ? 3 : 2) || !isCursorId(k[k.length - 1])) throw refuse();
  if (byPriority && parseCursorInteger(k[0], 1, 5) === null) throw refuse();
  if (parseCursorInstant(k[k.length - 2]) === null) throw refuse();
  return k as TicketCursor;
}

export async function getTimeline(db: Db, actor: Actor, ticketId: string, page: { cursor?: string; limit: number }) {
  await getTicketView(db, actor, ticketId);
  const afterId = page.cursor ? (parseSequenceCursor(page.cursor) ?? undefined) : undefined;
  if (page.cursor && afterId === undefined) {
    throw fieldError('validation_failed', 'cursor', 'must be the nextCursor of an earlier page');
  }
  const rows = await listTimelineEvents(db, {
    ticketId,
    includeInternal: canSeeInternal(actor),
    afterId,
    limit: page.limit + 1,
  });
  const hasMore = rows.length > page.limit;
  const items = await withChangeNames(db, rows.slice(0, page.limit));
  return { items, nextCursor: hasMore ? String(items[items.length - 1].id) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Changes that refer to a person, team, service, category or policy carry its name too. */
async function withChangeNames<T extends { changes: { field: string; from: unknown; to: unknown }[] | null }>(db: Db, events: T[]) {
  const ids = new Set<string>();
  for (const e of events) {
    for (const c of e.changes ?? []) {
      for (const v of [c.from, c.to]) if (typeof v === 'string' && UUID.test(v)) ids.add(v);
    }
  }
  const names = await namesByIds(db, [...ids]);
  const nameOf = (v: unknown) => (typeof v === 'string' ? (names.get(v) ?? null) : null);
  return events.map((e) =>
    e.changes?.some((c) => names.has(String(c.from)) || names.has(String(c.to)))
      ? { ...e, changes: e.changes.map((c) => ({ ...c, fromName: nameOf(c.from), toName: nameOf(c.to) })) }
      : e,
  );
}
