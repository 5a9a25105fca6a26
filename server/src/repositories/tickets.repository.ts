import { and, asc, desc, eq, getTableColumns, gte, inArray, is, isNotNull, isNull, lt, not, or, SQL, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { ExactInstant } from '../../../core/cursors.js';
import { formatTicketNumber } from '../../../core/ticket-number.js';
import { type Priority, TICKET_KINDS, TICKET_NUMBER_PREFIX, type TicketKind, type TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { executeNamed, executeShaped, type ShapedStatement, shapedOnce, shapedStatement } from '../db/prepared.js';
import { categories, satisfactionRatings, services, teams, tickets, timelineEvents, users } from '../db/schema/index.js';
import { afterKey, exactInstant } from './keyset.js';
import { DEFER_ROLLUPS } from './kpi-pending.repository.js';
import type { NewTimelineEventRow, TimelineEventRow } from './timeline.repository.js';
import { unnestInsert } from './unnest-insert.js';

export type TicketRow = typeof tickets.$inferSelect;
export type NewTicketRow = typeof tickets.$inferInsert;

const SEQUENCE_BY_KIND: Record<TicketKind, string> = {
  incident: 'ticket_number_incident',
  service_request: 'ticket_number_service_request',
  disturbance: 'ticket_number_disturbance',
  problem: 'ticket_number_problem',
  change: 'ticket_number_change',
};

/** The names a ticket's view shows beside the row. */
export type TicketNames = Omit<TicketListRow, 'ticket'>;

/**
 * The names, computed in the very statement that writes the row (scalar subqueries in its
 * RETURNING: primary-key lookups, no round trip), for the row object that statement returned.
 * `viewOfTicketRow` answers a written ticket from here, so presenting a write costs no query.
 * Keyed weakly by the row object: nothing is kept once the row is gone.
 */
const namesWritten = new WeakMap<TicketRow, TicketNames>();
// The outer row's columns are named with the table, so no subquery's own column can capture them.
const RETURNING_WITH_NAMES = {
  ...getTableColumns(tickets),
  requesterName: sql<string | null>`(SELECT u.name FROM users u WHERE u.id = tickets.requester_id)`,
  assigneeName: sql<string | null>`(SELECT u.name FROM users u WHERE u.id = tickets.assignee_id)`,
  teamName: sql<string | null>`(SELECT x.name FROM teams x WHERE x.id = tickets.team_id)`,
  serviceName: sql<string | null>`(SELECT x.name FROM services x WHERE x.id = tickets.service_id)`,
  categoryName: sql<string | null>`(SELECT x.name FROM categories x WHERE x.id = tickets.category_id)`,
};
function remembered(returned: TicketRow & TicketNames): TicketRow {
  const { requesterName, assigneeName, teamName, serviceName, categoryName, ...ticket } = returned;
  namesWritten.set(ticket, { requesterName, assigneeName, teamName, serviceName, categoryName });
  return ticket;
}

/**
 * The next number of a kind, drawn from its sequence inside the INSERT (no round trip of its
 * own), formatted as core's `formatTicketNumber` does: the prefix and at least 7 digits
 * (`ticket-number.db.test.ts` holds the two to the same answers).
 */
function nextNumberOf(kind: TicketKind): SQL {
  return sql`(SELECT ${TICKET_NUMBER_PREFIX[kind]}::text || CASE WHEN s.n < 10000000 THEN lpad(s.n::text, 7, '0') ELSE s.n::text END
    FROM (SELECT nextval(${SEQUENCE_BY_KIND[kind]}::regclass) AS n) s)`;
}

/**
 * The same as `nextNumberOf`, drawn once per row of an INSERT … SELECT: the subquery's condition
 * names the row (`u.id`), so it is not evaluated once for the whole statement.
 */
function nextNumberOfRow(kind: TicketKind): SQL {
  return sql`(SELECT ${TICKET_NUMBER_PREFIX[kind]}::text || CASE WHEN s.n < 10000000 THEN lpad(s.n::text, 7, '0') ELSE s.n::text END
    FROM (SELECT nextval(${SEQUENCE_BY_KIND[kind]}::regclass) AS n WHERE u.id IS NOT NULL) s)`;
}

/**
 * A new ticket and its first timeline events, in one statement (one round trip): the events are
 * inserted by a CTE of the ticket's INSERT (their foreign key is checked at the statement's end,
 * when the ticket is there) and come back as one JSON column of its RETURNING. Without a
 * `number`, the next of its kind is drawn in the same statement. The ticket is counted in the KPI
 * rollups after its transaction commits, not in it (kpi-pending.repository.ts): the setting that
 * says so is set while the row is formed, so before the statement's triggers read it.
 */
export async function insertTicketWithEvents(
  db: Db,
  row: Omit<NewTicketRow, 'number'> & { number?: string },
  events: Omit<NewTimelineEventRow, 'ticketId'>[],
): Promise<{ ticket: TicketRow; events: TimelineEventRow[] }> {
  const id = row.id ?? crypto.randomUUID();
  const statement = creationStatementOf(db, row, events);
  const values: Record<string, unknown> = { id };
  for (const key of statement.ticketKeys) values[`t.${key}`] = forDriver(tickets[key], row[key]);
  statement.eventKeys.forEach((keys, i) => {
    for (const key of keys) values[`e${i}.${key}`] = forDriver(timelineEvents[key], events[i][key]);
  });
  const [created] = (await executeShaped(db, statement, values)) as (TicketRow &
    TicketNames & { createdEvents?: StoredEventJson[] | null })[];
  const { createdEvents, ...ticket } = created;
  return { ticket: remembered(ticket), events: (createdEvents ?? []).map(eventOfJson) };
}

/** A value as the ORM would send it for its column (a Date as text, JSON as text); null as null. */
function forDriver(column: { name: string; mapToDriverValue(value: unknown): unknown }, value: unknown): unknown {
  // A statement built once takes values only: SQL (`now()`) would have to be part of its text.
  if (is(value, SQL)) throw new Error(`insertTicketWithEvents: ${column.name} is SQL; a creation takes values only`);
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}

const TICKET_COLUMNS = getTableColumns(tickets);
const EVENT_COLUMNS = getTableColumns(timelineEvents);
// A value the ORM computes while it builds a statement ($defaultFn, $onUpdate) would be written
// into a statement built once, and every later creation of its shape would repeat it.
for (const column of [...Object.values(TICKET_COLUMNS), ...Object.values(EVENT_COLUMNS)]) {
  if (column.defaultFn || column.onUpdateFn)
    throw new Error(`${column.name}: a creation's statement is built once; use a database default`);
}
type TicketColumn = Exclude<keyof NewTicketRow, 'id'>;
type EventColumn = keyof Omit<NewTimelineEventRow, 'ticketId'>;
type CreationStatement = ShapedStatement & { ticketKeys: TicketColumn[]; eventKeys: EventColumn[][] };

/**
 * A creation's statement by its shape (the kind, the columns given, each event's columns): its
 * values are placeholders, so it is built once per shape and PostgreSQL parses and plans it once
 * per connection (a creation's INSERT with its events' CTE and 52 columns cost more to parse and
 * plan than to run). A handful of shapes exist: one per way a ticket is made. Past
 * `MOST_CREATION_SHAPES` a new shape is built for its call only, as an unnamed statement, so a
 * writer giving ever new column sets cannot fill every connection with prepared statements.
 */
const creationStatements = new Map<string, CreationStatement>();
const MOST_CREATION_SHAPES = 64;

function creationStatementOf(
  db: Db,
  row: Omit<NewTicketRow, 'number'> & { number?: string },
  events: Omit<NewTimelineEventRow, 'ticketId'>[],
): CreationStatement {
  // As the ORM does, keys that are no column are left out (and so are columns given as undefined).
  const given = <T extends object>(value: T, columns: object) =>
    (Object.keys(value) as (keyof T)[]).filter((key) => value[key] !== undefined && Object.hasOwn(columns, key)).sort();
  // A number given as null is drawn, as one not given.
  const ticketKeys = given(row, TICKET_COLUMNS).filter(
    (key): key is TicketColumn => key !== 'id' && !(key === 'number' && row.number === null),
  );
  const eventKeys = events.map((event) => given(event, EVENT_COLUMNS));
  const shape = `${row.kind}|${ticketKeys.join(',')}|${events.length}:${eventKeys.map((keys) => keys.join(',')).join(';')}`;
  const known = creationStatements.get(shape);
  if (known) return known;
  const placeholder = (name: string) => sql`${sql.placeholder(name)}`;
  const values: Record<string, unknown> = Object.fromEntries(ticketKeys.map((key) => [key, placeholder(`t.${key}`)]));
  values.id = sql`(SELECT ${sql.placeholder('id')}::uuid FROM ${DEFER_ROLLUPS})`;
  values.number ??= nextNumberOf(row.kind);
  // The events, when there are any, are inserted by a CTE of the ticket's INSERT and come back as JSON.
  const source =
    events.length === 0
      ? db
      : db.with(
          db.$with('created_events', {}).as(
            db
              .insert(timelineEvents)
              .values(
                eventKeys.map(
                  (keys, i) =>
                    ({
                      ...Object.fromEntries(keys.map((key) => [key, placeholder(`e${i}.${key}`)])),
                      ticketId: placeholder('id'),
                    }) as PgInsertValue<typeof timelineEvents>,
                ),
              )
              .returning()
              .getSQL(),
          ),
        );
  const createdEvents = sql<StoredEventJson[] | null>`(SELECT json_agg(e ORDER BY e.id) FROM created_events e)`;
  const builder = source
    .insert(tickets)
    .values(values as PgInsertValue<typeof tickets>)
    .returning(events.length === 0 ? RETURNING_WITH_NAMES : { ...RETURNING_WITH_NAMES, createdEvents });
  const kept = creationStatements.size < MOST_CREATION_SHAPES;
  const statement = {
    ...shapedStatement(db, builder, kept ? `ticket_insert_${creationStatements.size + 1}` : undefined),
    ticketKeys,
    eventKeys,
  };
  if (kept) creationStatements.set(shape, statement);
  return statement;
}

/** A timeline_events row as `json_agg` writes it: the table's column names, times as ISO text. */
interface StoredEventJson {
  id: number;
  ticket_id: string;
  type: TimelineEventRow['type'];
  actor_id: string | null;
  at: string;
  internal: boolean;
  body: string | null;
  changes: TimelineEventRow['changes'];
  data: TimelineEventRow['data'];
}

/** The row as drizzle would have read it (`ticket-create-statements.http.test.ts` compares the two). */
function eventOfJson(e: StoredEventJson): TimelineEventRow {
  return {
    id: Number(e.id),
    ticketId: e.ticket_id,
    type: e.type,
    actorId: e.actor_id,
    at: new Date(e.at),
    internal: e.internal,
    body: e.body,
    changes: e.changes,
    data: e.data,
  };
}

/**
 * Many new tickets in one statement, ids given by the writer (an import's batch): nothing is read
 * back. Rows without a `number` draw the next of their kind in the same statement.
 */
export async function insertTickets(
  db: Db,
  rows: (Omit<NewTicketRow, 'number' | 'id'> & { id: string; number?: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  // One array per column (unnest-insert.ts): a batch of a thousand tickets is one small statement.
  await db.execute(
    unnestInsert(tickets, rows, {
      number: (given) =>
        sql`coalesce(${given}, CASE u.kind ${sql.join(
          TICKET_KINDS.map((kind) => sql`WHEN ${sql.raw(`'${kind}'`)} THEN ${nextNumberOfRow(kind)}`),
          sql` `,
        )} END)`,
    }),
  );
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

/**
 * `lockTicket` for many tickets in one statement (a sweep's SLA timers). The rows are locked in id
 * order, so two such statements over overlapping tickets queue instead of deadlocking.
 */
export async function lockTickets(db: Tx, ids: readonly string[]): Promise<TicketRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(tickets)
    .where(inArray(tickets.id, [...ids]))
    .orderBy(asc(tickets.id))
    .for('update');
}

/**
 * Marks a just-reported ticket's page as held, in its creation's transaction: part of that one
 * write, so the version stays the one the reporter was given.
 */
export async function markPageHeld(db: Tx, id: string, since: Date): Promise<void> {
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
    .returning(RETURNING_WITH_NAMES);
  return remembered(row);
}

/** Records that an SLA target was breached, without bumping the version: a note by Firebreak, not an edit. */
export async function markSlaBreached(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(tickets)
    .set({ slaBreached: true })
    .where(and(inArray(tickets.id, [...ids]), eq(tickets.slaBreached, false)));
}

/** Records the next SLA due time without bumping the version: it follows from other changes, it is not one. */
export async function setSlaDue(db: Db, id: string, dueAt: Date | null): Promise<void> {
  await db.update(tickets).set({ slaDueAt: dueAt }).where(eq(tickets.id, id));
}

/**
 * Records how many people are affected without bumping the version: the count follows from the
 * affected-people rows (a *Me too*, a merge), it is not an edit of the ticket, so nobody's open
 * form on the ticket goes stale because someone else joined (issue 14).
 */
export async function setAffectedCount(db: Db, id: string, count: number): Promise<void> {
  await db.update(tickets).set({ affectedCount: count }).where(eq(tickets.id, id));
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
  minReassignments?: number;
  minReopens?: number;
  /** true: resolved at first contact (core/kpis/rates.ts isFirstContactResolution); false: not. */
  firstContact?: boolean;
  /** true: an SLA target was breached (the flag the pipeline keeps); false: under a policy and none breached. */
  slaBreached?: boolean;
  /** Rated by the requester (given between `from` and `before` when set), or not rated at all. */
  rated?: { rated: boolean; from?: Date; before?: Date };
  openedFrom?: Date;
  openedBefore?: Date;
  resolvedFrom?: Date;
  resolvedBefore?: Date;
  /** Imported tickets whose source attributes hold every one of these (issue 16). */
  sourceAttributes?: Record<string, string>;
}

/** The position after the last row of a page: the sort key's values and the id. */
export type TicketCursor = [priority: number, openedAt: ExactInstant, id: string] | [at: ExactInstant, id: string];

export interface TicketListRow {
  ticket: TicketRow;
  requesterName: string | null;
  assigneeName: string | null;
  teamName: string | null;
  serviceName: string | null;
  categoryName: string | null;
}

/** The same rule as core/kpis/rates.ts isFirstContactResolution, and the reports' SQL. */
const FIRST_CONTACT = sql`(${tickets.reassignmentCount} = 0 AND ${tickets.reopenCount} = 0 AND ${tickets.staffReplyCount} <= 1)`;

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
    f.minReassignments !== undefined ? gte(tickets.reassignmentCount, f.minReassignments) : undefined,
    f.minReopens !== undefined ? gte(tickets.reopenCount, f.minReopens) : undefined,
    f.firstContact === undefined ? undefined : f.firstContact ? FIRST_CONTACT : not(FIRST_CONTACT),
    f.slaBreached === undefined
      ? undefined
      : f.slaBreached
        ? eq(tickets.slaBreached, true)
        : and(isNotNull(tickets.slaPolicyId), eq(tickets.slaBreached, false)),
    f.rated ? ratedCondition(f.rated) : undefined,
    f.openedFrom ? gte(tickets.openedAt, f.openedFrom) : undefined,
    f.openedBefore ? lt(tickets.openedAt, f.openedBefore) : undefined,
    f.resolvedFrom ? gte(tickets.resolvedAt, f.resolvedFrom) : undefined,
    f.resolvedBefore ? lt(tickets.resolvedAt, f.resolvedBefore) : undefined,
    // Containment, so the GIN index on source_attributes answers it.
    f.sourceAttributes ? sql`${tickets.sourceAttributes} @> ${JSON.stringify(f.sourceAttributes)}::jsonb` : undefined,
  ];
}

/** A rating of the ticket (in the period when given), through the ratings' ticket key; or none at all. */
function ratedCondition(r: NonNullable<TicketFilter['rated']>): SQL {
  const exists = sql`EXISTS (SELECT 1 FROM ${satisfactionRatings} r WHERE r.ticket_id = ${tickets.id}
    ${r.from ? sql`AND r.answered_at >= ${r.from.toISOString()}::timestamptz` : sql``}
    ${r.before ? sql`AND r.answered_at < ${r.before.toISOString()}::timestamptz` : sql``})`;
  return r.rated ? exists : sql`NOT ${exists}`;
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
  // An imported ticket whose original number was taken here keeps it as its external reference.
  if (words.length === 1) branches.push(sql`lower(${tickets.externalReference}) = ${word}`);
  if (requesterIds.length > 0) branches.push(inArray(tickets.requesterId, requesterIds));
  // Words alone (several words, nobody by that name): one condition, which the full-text index
  // answers as a filter of the page's own scan — every match read once, not collected and then
  // fetched again by id (at 1,000,000 tickets "vpn disc" matches 7,000).
  if (branches.length === 1) return branches[0];
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

/** The cursor after a listed row: its sort key, with the instant exact as SQL read it (`sortAt`). */
export function cursorOf(row: ListedTicket, sort: TicketSort): TicketCursor {
  return sort === 'priority' || sort === '-priority' ? [row.ticket.priority, row.sortAt, row.ticket.id] : [row.sortAt, row.ticket.id];
}

/** The instant a sort orders by (the exact value a cursor carries). */
function sortInstant(sort: TicketSort) {
  const columns = sortColumns(sort);
  return columns[columns.length - 2];
}

/** A listed ticket with the exact instant its sort orders by, for the page's cursor. */
export type ListedTicket = TicketListRow & { sortAt: ExactInstant };

function afterCursor(sort: TicketSort, cursor: TicketCursor): SQL {
  return afterKey(sortColumns(sort), cursor, sort.startsWith('-') ? 'desc' : 'asc');
}

/**
 * Tickets with the names of the people, team, service and category they refer to, each a scalar
 * subquery by primary key: the cost follows the rows read (a page of 50: at most 250 index
 * probes). Left joins let the planner hash the whole users table twice for a page of 50 (2,000
 * people in the bench's desk: 11 of the statement's 12 ms in its plan; a desk with 100,000
 * requesters would pay that for every page).
 */
function selectTicketViews(db: Db) {
  return db
    .select({
      ticket: tickets,
      requesterName: sql<string | null>`(SELECT u.name FROM ${users} u WHERE u.id = ${tickets.requesterId})`,
      assigneeName: sql<string | null>`(SELECT u.name FROM ${users} u WHERE u.id = ${tickets.assigneeId})`,
      teamName: sql<string | null>`(SELECT x.name FROM ${teams} x WHERE x.id = ${tickets.teamId})`,
      serviceName: sql<string | null>`(SELECT x.name FROM ${services} x WHERE x.id = ${tickets.serviceId})`,
      categoryName: sql<string | null>`(SELECT x.name FROM ${categories} x WHERE x.id = ${tickets.categoryId})`,
    })
    .from(tickets);
}

/** One ticket with the names of the people, team, service and category it refers to. */
const ticketViewStatement = shapedOnce((db) =>
  shapedStatement(db, selectTicketViews(db).where(eq(tickets.id, sql.placeholder('id'))), 'ticket_view_by_id'),
);

/**
 * A page's tickets with their names, by id: built once, as the ORM otherwise rebuilt this
 * 57-column statement with its 50 id parameters for every page (a profile under load put the
 * building and mapping of the page's rows first among the server's costs), and its rows read
 * by a mapper compiled once (`compileRowMapper`).
 */
const ticketViewsByIdsStatement = shapedOnce((db) =>
  shapedStatement(db, selectTicketViews(db).where(sql`${tickets.id} = ANY(${sql.placeholder('ids')}::uuid[])`), 'ticket_views_by_ids'),
);

export async function findTicketView(db: Db, id: string): Promise<TicketListRow | undefined> {
  const [row] = (await executeShaped(db, ticketViewStatement(db), { id })) as TicketListRow[];
  return row;
}

/**
 * A ticket's view for a row the caller already holds (the one a write just committed), never
 * reading the ticket again — so the body answered is the very version whose ETag goes with it.
 * A row the pipeline wrote carries its names from that statement (no query); any other row gets
 * them in one prepared round trip.
 */
export async function viewOfTicketRow(db: Db, ticket: TicketRow): Promise<TicketListRow> {
  const known = namesWritten.get(ticket);
  if (known) return { ticket, ...known };
  const result = await executeNamed(
    db,
    'ticket_row_names',
    sql`SELECT (SELECT name FROM users WHERE id = ${ticket.requesterId}::uuid) AS "requesterName",
      (SELECT name FROM users WHERE id = ${ticket.assigneeId}::uuid) AS "assigneeName",
      (SELECT name FROM teams WHERE id = ${ticket.teamId}::uuid) AS "teamName",
      (SELECT name FROM services WHERE id = ${ticket.serviceId}::uuid) AS "serviceName",
      (SELECT name FROM categories WHERE id = ${ticket.categoryId}::uuid) AS "categoryName"`,
  );
  const [names] = rowsOf<Omit<TicketListRow, 'ticket'>>(result);
  return { ticket, ...names };
}

/** The first step of `listTickets`: the page's ids and sort instants, from `tickets` alone (its plan is tested). */
export function ticketPageStatement(db: Db, options: { filter: TicketFilter; sort: TicketSort; cursor?: TicketCursor; limit: number }) {
  const conditions = filterConditions(options.filter);
  if (options.cursor) conditions.push(afterCursor(options.sort, options.cursor));
  const order = sortColumns(options.sort).map((c) => (options.sort.startsWith('-') ? desc(c) : asc(c)));
  return db
    .select({ id: tickets.id, sortAt: exactInstant(sortInstant(options.sort)) })
    .from(tickets)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(options.limit);
}

/**
 * A page of tickets in two steps: first the page itself from the tickets table alone (an index
 * walk that stops at the limit), then the names for just those rows. Joining first would join
 * every matching ticket before sorting and cutting (measured on 100,000 tickets: 14 ms → 1.7 ms).
 */
export async function listTickets(
  db: Db,
  options: { filter: TicketFilter; sort: TicketSort; cursor?: TicketCursor; limit: number },
): Promise<ListedTicket[]> {
  const page = await ticketPageStatement(db, options);
  if (page.length === 0) return [];
  const views = (await executeShaped(db, ticketViewsByIdsStatement(db), { ids: page.map((row) => row.id) })) as TicketListRow[];
  const byId = new Map(views.map((view) => [view.ticket.id, view]));
  return page.flatMap((row) => {
    const view = byId.get(row.id);
    return view ? [{ ...view, sortAt: row.sortAt }] : [];
  });
}
