import { sourceAttributeFilters } from '../../../core/contracts/tickets.js';
import { type KeysetCursor, keysetCursor, keysetPage, SEQUENCE } from '../../../core/cursors.js';
import { notFound } from '../../../core/errors.js';
import { type Actor, canSeeInternal, canSeeTicket, isStaff } from '../../../core/permissions.js';
import { OPEN_STATES, type Priority, TICKET_KINDS, type TicketKind, type TicketState } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { namesByIds } from '../repositories/names.repository.js';
import { latestEdits, listUpdateEdits } from '../repositories/public-update-edits.repository.js';
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
  return asSeenBy(actor, view);
}

/**
 * A major incident's response is the desk's business: its root cause reaches a requester only
 * through the desk's public words (updates, the resolution), never as the field.
 */
function asSeenBy(actor: Actor, view: TicketListRow): TicketListRow {
  if (isStaff(actor)) return view;
  // Problems are staff-only (issue 17): a requester is not told which problem their incident feeds.
  if (view.ticket.rootCause === null && view.ticket.problemId === null) return view;
  return { ...view, ticket: { ...view.ticket, rootCause: null, problemId: null } };
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
  minReassignments?: number;
  minReopens?: number;
  firstContact?: 'true' | 'false';
  slaBreached?: 'true' | 'false';
  rated?: 'true' | 'false';
  ratedFrom?: string;
  ratedBefore?: string;
  openedFrom?: string;
  openedBefore?: string;
  resolvedFrom?: string;
  resolvedBefore?: string;
  attr?: string | string[];
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
  const cursors = ticketCursor(query.sort);
  const states = query.state?.flatMap((s) => (s === 'open' ? OPEN_STATES : [s]));
  // Staff's search also finds a requester by name or e-mail ("Becker"); a requester sees only
  // their own tickets, so for them that would find nothing more.
  const textRequesterIds = query.q?.trim() && isStaff(actor) ? await findUserIdsMatching(db, query.q, REQUESTER_MATCH_LIMIT) : undefined;
  // Problems and changes are the desk's own records (issue 17): never listed for anyone else, whatever they ask.
  const kind = isStaff(actor) ? query.kind : (query.kind ?? TICKET_KINDS).filter((k) => k !== 'problem' && k !== 'change');
  if (kind?.length === 0) return { items: [], nextCursor: null };
  const filter: TicketFilter = {
    kind,
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
    minReassignments: query.minReassignments,
    minReopens: query.minReopens,
    firstContact: query.firstContact === undefined ? undefined : query.firstContact === 'true',
    slaBreached: query.slaBreached === undefined ? undefined : query.slaBreached === 'true',
    rated:
      query.rated === undefined
        ? undefined
        : {
            rated: query.rated === 'true',
            from: query.ratedFrom ? new Date(query.ratedFrom) : undefined,
            before: query.ratedBefore ? new Date(query.ratedBefore) : undefined,
          },
    openedFrom: query.openedFrom ? new Date(query.openedFrom) : undefined,
    openedBefore: query.openedBefore ? new Date(query.openedBefore) : undefined,
    resolvedFrom: query.resolvedFrom ? new Date(query.resolvedFrom) : undefined,
    resolvedBefore: query.resolvedBefore ? new Date(query.resolvedBefore) : undefined,
    sourceAttributes: sourceAttributeFilters(query.attr),
  };
  const rows = await listTickets(db, {
    filter,
    sort: query.sort,
    cursor: query.cursor ? cursors.decode(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = keysetPage(rows, query.limit, cursors, (row) => cursorOf(row, query.sort));
  return { ...page, items: page.items.map((row) => asSeenBy(actor, row)) };
}

/** The refusal of a ticket cursor made for another list or sort. */
const NOT_THIS_SORT = 'is not a cursor from this list with this sort; start again without it';

/** One cursor format per sort, tagged with it: [priority,] the instant sorted by, the id. */
function ticketCursor(sort: TicketSort): KeysetCursor<TicketCursor> {
  return sort === 'priority' || sort === '-priority'
    ? keysetCursor({ tagged: sort }, [{ integer: [1, 5] }, 'instant', 'id'], NOT_THIS_SORT)
    : keysetCursor({ tagged: sort }, ['instant', 'id'], NOT_THIS_SORT);
}

/** The timeline pages by event id, oldest first. */
const timelineCursor = keysetCursor('decimal', [SEQUENCE], 'must be the nextCursor of an earlier page');

export async function getTimeline(db: Db, actor: Actor, ticketId: string, page: { cursor?: string; limit: number }) {
  await getTicketView(db, actor, ticketId);
  const afterId = page.cursor ? timelineCursor.decode(page.cursor)[0] : undefined;
  const rows = await listTimelineEvents(db, {
    ticketId,
    includeInternal: canSeeInternal(actor),
    afterId,
    limit: page.limit + 1,
  });
  const { items, nextCursor } = keysetPage(rows, page.limit, timelineCursor, (event) => [event.id] as [number]);
  return { items: await withChangeNames(db, await withCorrections(db, ticketId, items)), nextCursor };
}

/**
 * A public update corrected since it was sent reads as corrected (issue 15): its current words,
 * with when it was last corrected (`data.editedAt`) for the "edited" mark. The corrections
 * themselves are desk-only events further down the timeline (who, when, from, to).
 */
async function withCorrections<T extends { id: number; type: string; body: string | null; data: Record<string, unknown> | null }>(
  db: Db,
  ticketId: string,
  events: T[],
): Promise<T[]> {
  if (!events.some((e) => e.type === 'comment')) return events;
  const latest = latestEdits(await listUpdateEdits(db, [ticketId]));
  if (latest.size === 0) return events;
  return events.map((e) => {
    const edit = e.type === 'comment' ? latest.get(e.id) : undefined;
    return edit ? { ...e, body: edit.to, data: { ...e.data, editedAt: edit.at.toISOString(), revision: edit.revision } } : e;
  });
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
