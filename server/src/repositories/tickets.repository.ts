import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { formatTicketNumber } from '../../../core/ticket-number.js';
import { type Priority, TICKET_KINDS, type TicketKind, type TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { preparedPerDb } from '../db/prepared.js';
import { categories, services, teams, tickets, users } from '../db/schema/index.js';
import { afterKey } from './keyset.js';

export type TicketRow = typeof tickets.$inferSelect;
export type NewTicketRow = typeof tickets.$inferInsert;

const SEQUENCE_BY_KIND: Record<TicketKind, string> = {
  incident: 'ticket_number_incident',
  service_request: 'ticket_number_service_request',
  disturbance: 'ticket_number_disturbance',
};

export async function nextTicketSequence(db: Db, kind: TicketKind): Promise<number> {
  const result = await db.execute(sql`SELECT nextval(${SEQUENCE_BY_KIND[kind]}) AS n`);
  return Number(rowsOf<{ n: number | string }>(result)[0].n);
}

export async function insertTicket(db: Db, row: NewTicketRow): Promise<TicketRow> {
  const [created] = await db.insert(tickets).values(row).returning();
  return created;
}

export async function findTicketById(db: Db, id: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

/** Reads the ticket and locks its row until the transaction ends, so writes to one ticket queue up. */
export async function lockTicket(db: Tx, id: string): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id)).for('update');
  return row;
}

/** Writes a new version of a ticket locked by `lockTicket`; bumps its version. */
/**
 * Marks a just-reported ticket's page as held, in its creation's transaction: part of that one
 * write, so the version stays the one the reporter was given.
 */
export async function markPageHeld(db: Db, id: string, since: Date): Promise<void> {
  await db.update(tickets).set({ pageHeldSince: since }).where(eq(tickets.id, id));
}

/** Open tickets on a service whose page waits for a confirmation, and since when. */
export async function listHeldPageTickets(db: Db, serviceId: string, limit: number): Promise<{ id: string; pageHeldSince: Date }[]> {
  const rows = await db
    .select({ id: tickets.id, pageHeldSince: tickets.pageHeldSince })
    .from(tickets)
    .where(
      and(
        eq(tickets.serviceId, serviceId),
        isNotNull(tickets.pageHeldSince),
        inArray(tickets.state, ['new', 'assigned', 'in_progress', 'on_hold']),
      ),
    )
    .orderBy(asc(tickets.pageHeldSince))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, pageHeldSince: r.pageHeldSince as Date }));
}

export async function saveTicket(db: Db, id: string, patch: Partial<NewTicketRow>): Promise<TicketRow> {
  const [row] = await db
    .update(tickets)
    .set({ ...patch, version: sql`${tickets.version} + 1` })
    .where(eq(tickets.id, id))
    .returning();
  return row;
}

/** Records the next SLA due time without bumping the version: it follows from other changes, it is not one. */
export async function setSlaDue(db: Db, id: string, dueAt: Date | null): Promise<void> {
  await db.update(tickets).set({ slaDueAt: dueAt }).where(eq(tickets.id, id));
}

export const TICKET_SORTS = ['priority', '-priority', 'openedAt', '-openedAt', 'updatedAt', '-updatedAt', 'slaDueAt'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export interface TicketFilter {
  kind?: TicketKind[];
  state?: TicketState[];
  priority?: Priority[];
  teamId?: string[];
  /** `null` selects unassigned tickets. */
  assigneeId?: string | null;
  requesterId?: string;
  /** Tickets this person is the requester of: what a non-staff person may see (core/permissions.ts). */
  participantId?: string;
  serviceId?: string;
  categoryId?: string;
  text?: string;
  /** People whose name or e-mail matched `text`: their tickets match too (staff's search). */
  textRequesterIds?: string[];
  /** Only tickets with a next SLA due time before this instant ("breaching soon"). */
  slaDueBefore?: Date;
  /** Only tickets with an SLA due time at all (sorting by it needs one). */
  hasSlaDue?: boolean;
}

/** The position after the last row of a page: the sort key's values and the id. */
export type TicketCursor = [priority: number, openedAt: Date, id: string] | [at: Date, id: string];

const requester = alias(users, 'requester');
const assignee = alias(users, 'assignee');

export interface TicketListRow {
  ticket: TicketRow;
  requesterName: string | null;
  assigneeName: string | null;
  teamName: string | null;
  serviceName: string | null;
  categoryName: string | null;
}

function filterConditions(f: TicketFilter): (SQL | undefined)[] {
  return [
    f.kind?.length ? inArray(tickets.kind, f.kind) : undefined,
    f.state?.length ? inArray(tickets.state, f.state) : undefined,
    f.priority?.length ? inArray(tickets.priority, f.priority) : undefined,
    f.teamId?.length ? inArray(tickets.teamId, f.teamId) : undefined,
    f.assigneeId === null ? isNull(tickets.assigneeId) : f.assigneeId ? eq(tickets.assigneeId, f.assigneeId) : undefined,
    f.requesterId ? eq(tickets.requesterId, f.requesterId) : undefined,
    f.participantId ? eq(tickets.requesterId, f.participantId) : undefined,
    f.serviceId ? eq(tickets.serviceId, f.serviceId) : undefined,
    f.categoryId ? sql`(${tickets.categoryId} = ${f.categoryId} OR ${tickets.subcategoryId} = ${f.categoryId})` : undefined,
    f.text ? textMatch(f.text, f.textRequesterIds ?? []) : undefined,
    f.slaDueBefore ? lt(tickets.slaDueAt, f.slaDueBefore) : undefined,
    f.hasSlaDue ? isNotNull(tickets.slaDueAt) : undefined,
  ];
}

/**
 * What `q` finds: a ticket whose number, title or description has every word as a prefix
 * ("vpn disconn" finds "VPN disconnects"; full-text GIN index), whose number contains the text
 * ("169" finds INC0000169; trigram index) or is that number ("42" finds INC0000042, REQ0000042;
 * unique index), or whose requester is one of `requesterIds` (requester index). Each branch has
 * its own index, so PostgreSQL combines them with a bitmap OR instead of reading every ticket.
 * Words are reduced to letters and digits, so no user text reaches the tsquery syntax or
 * carries a LIKE wildcard.
 */
function textMatch(text: string, requesterIds: string[]): SQL | undefined {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return undefined;
  const query = words.map((w) => `${w}:*`).join(' & ');
  const branches: SQL[] = [
    sql`to_tsvector('simple', ${tickets.number} || ' ' || ${tickets.title} || ' ' || ${tickets.description}) @@ to_tsquery('simple', ${query})`,
  ];
  const [word] = words;
  if (words.length === 1 && /\d/.test(word)) {
    // Trigrams need three characters; shorter digits still find the ticket with that number.
    if (word.length >= 3) branches.push(sql`${tickets.number} ILIKE ${`%${word}%`}`);
    if (/^\d{1,7}$/.test(word)) {
      const numbers = TICKET_KINDS.map((kind) => formatTicketNumber(kind, Number(word)));
      branches.push(inArray(tickets.number, numbers));
    }
  }
  if (requesterIds.length > 0) branches.push(inArray(tickets.requesterId, requesterIds));
  // The matches are collected first (once, by the indexes) and the page is sorted from them.
  // As a plain filter, PostgreSQL guesses the OR matches ~2% of tickets and walks the sort
  // index testing every row instead: 1.7 s for a number fragment on 50,000 tickets, 6 ms so.
  return sql`${tickets.id} = ANY(ARRAY(SELECT ${tickets.id} FROM ${tickets} WHERE ${or(...branches)}))`;
}

function sortColumns(sort: TicketSort) {
  switch (sort) {
    case 'priority':
    case '-priority':
      return [tickets.priority, tickets.openedAt, tickets.id] as const;
    case 'openedAt':
    case '-openedAt':
      return [tickets.openedAt, tickets.id] as const;
    case 'updatedAt':
    case '-updatedAt':
      return [tickets.updatedAt, tickets.id] as const;
    case 'slaDueAt':
      return [tickets.slaDueAt, tickets.id] as const;
  }
}

export function cursorOf(row: TicketRow, sort: TicketSort): TicketCursor {
  switch (sort) {
    case 'priority':
    case '-priority':
      return [row.priority, row.openedAt, row.id];
    case 'openedAt':
    case '-openedAt':
      return [row.openedAt, row.id];
    case 'updatedAt':
    case '-updatedAt':
      return [row.updatedAt, row.id];
    case 'slaDueAt':
      return [row.slaDueAt as Date, row.id];
  }
}

function afterCursor(sort: TicketSort, cursor: TicketCursor): SQL {
  return afterKey(sortColumns(sort), cursor, sort.startsWith('-') ? 'desc' : 'asc');
}

function selectTicketViews(db: Db) {
  return db
    .select({
      ticket: tickets,
      requesterName: requester.name,
      assigneeName: assignee.name,
      teamName: teams.name,
      serviceName: services.name,
      categoryName: categories.name,
    })
    .from(tickets)
    .leftJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .leftJoin(categories, eq(categories.id, tickets.categoryId));
}

/** One ticket with the names of the people, team, service and category it refers to. */
const ticketViewQuery = preparedPerDb((db) =>
  selectTicketViews(db)
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare('ticket_view_by_id'),
);

export async function findTicketView(db: Db, id: string): Promise<TicketListRow | undefined> {
  const [row] = await ticketViewQuery(db).execute({ id });
  return row;
}

/**
 * A page of tickets in two steps: first the page itself from the tickets table alone (an index
 * walk that stops at the limit), then the names for just those rows. Joining first would join
 * every matching ticket before sorting and cutting (measured on 100,000 tickets: 14 ms → 1.7 ms).
 */
export async function listTickets(
  db: Db,
  options: { filter: TicketFilter; sort: TicketSort; cursor?: TicketCursor; limit: number },
): Promise<TicketListRow[]> {
  const conditions = filterConditions(options.filter);
  if (options.cursor) conditions.push(afterCursor(options.sort, options.cursor));
  const order = sortColumns(options.sort).map((c) => (options.sort.startsWith('-') ? desc(c) : asc(c)));
  const page = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(options.limit);
  if (page.length === 0) return [];
  const views = await selectTicketViews(db).where(
    inArray(
      tickets.id,
      page.map((row) => row.id),
    ),
  );
  const byId = new Map(views.map((view) => [view.ticket.id, view]));
  return page.map((row) => byId.get(row.id)).filter((view): view is TicketListRow => view !== undefined);
}
