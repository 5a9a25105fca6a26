import { and, desc, eq, gte, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { services, statusOverrides, tickets, timelineEvents, users } from '../db/schema/index.js';
import { isPublicDeskComment } from './known-issues.repository.js';

export type StatusOverrideRow = typeof statusOverrides.$inferSelect;

export interface PublicComponentRow {
  id: string;
  name: string;
  description: string;
  parentId: string | null;
  createdAt: Date;
}

export async function listPublicComponents(db: Db): Promise<PublicComponentRow[]> {
  return db
    .select({
      id: services.id,
      name: services.name,
      description: services.description,
      parentId: services.parentId,
      createdAt: services.createdAt,
    })
    .from(services)
    .where(eq(services.onStatusPage, true))
    .orderBy(services.name);
}

export async function listStatusOverrides(db: Db): Promise<StatusOverrideRow[]> {
  return db.select().from(statusOverrides);
}

export async function upsertStatusOverride(db: Db, row: StatusOverrideRow): Promise<void> {
  await db
    .insert(statusOverrides)
    .values(row)
    .onConflictDoUpdate({
      target: statusOverrides.serviceId,
      set: { status: row.status, until: row.until, reason: row.reason, setById: row.setById, setAt: row.setAt },
    });
}

export async function deleteStatusOverride(db: Db, serviceId: string): Promise<boolean> {
  const removed = await db
    .delete(statusOverrides)
    .where(eq(statusOverrides.serviceId, serviceId))
    .returning({ id: statusOverrides.serviceId });
  return removed.length > 0;
}

export interface PublicIncidentRow {
  id: string;
  number: string;
  title: string;
  state: string;
  priority: number;
  majorSince: Date | null;
  serviceId: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  resolutionNotes: string | null;
}

/**
 * The incidents the public may know of: global or major ones (a local incident is one person's
 * problem), open now or resolved since `since` (history and uptime).
 */
export async function listPublicIncidents(db: Db, since: Date): Promise<PublicIncidentRow[]> {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      priority: tickets.priority,
      majorSince: tickets.majorSince,
      serviceId: tickets.serviceId,
      openedAt: tickets.openedAt,
      resolvedAt: tickets.resolvedAt,
      updatedAt: tickets.updatedAt,
      resolutionNotes: tickets.resolutionNotes,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.kind, 'incident'),
        or(eq(tickets.scope, 'global'), isNotNull(tickets.majorSince)),
        or(inArray(tickets.state, [...OPEN_STATES]), gte(tickets.resolvedAt, since)),
      ),
    )
    .orderBy(desc(tickets.openedAt))
    .limit(500);
}

/** Whether the desk has posted a public update on the ticket at or after event `fromEventId`. */
export async function hasPublicDeskCommentFrom(db: Db, ticketId: string, fromEventId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(eq(timelineEvents.ticketId, ticketId), gte(timelineEvents.id, fromEventId), isPublicDeskComment()))
    .limit(1);
  return row !== undefined;
}

/**
 * The desk's public words on these incidents, newest first (never what a requester wrote), with
 * the stage the update composer wrote them for (null: a plain public reply).
 */
export async function listPublicUpdates(
  db: Db,
  ticketIds: string[],
): Promise<{ id: number; ticketId: string; at: Date; body: string; stage: string | null }[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db
    .select({
      id: timelineEvents.id,
      ticketId: timelineEvents.ticketId,
      at: timelineEvents.at,
      body: timelineEvents.body,
      stage: sql<string | null>`${timelineEvents.data}->>'stage'`,
    })
    .from(timelineEvents)
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(inArray(timelineEvents.ticketId, ticketIds), isPublicDeskComment()))
    .orderBy(desc(timelineEvents.id));
  return rows.map((r) => ({ ...r, body: r.body ?? '' }));
}

/**
 * A cheap fingerprint of everything the status page is read from: it differs whenever a row
 * the page may show was written, by any process. Ticket changes are seen through the timeline
 * (every change through the ticket-change pipeline appends an event; an index answers its max) and
 * the tickets' latest update (an index too); the small tables through their row count and newest
 * row version (`xmin`, the writing transaction: it grows with every insert or update, and the
 * count catches a delete). A fingerprint that differs without a visible change only costs one
 * recomputation; the small tables keep it at well under a millisecond.
 */
export async function readStatusPageVersion(db: Db): Promise<string> {
  const result = await db.execute(sql`
    SELECT concat_ws(' ',
      (SELECT max(id) FROM timeline_events),
      (SELECT max(updated_at) FROM tickets),
      ${smallTable('services')}, ${smallTable('service_dependencies')}, ${smallTable('status_overrides')},
      ${smallTable('settings')}, ${smallTable('maintenance_windows')}, ${smallTable('maintenance_updates')}
    ) AS version`);
  return rowsOf<{ version: string }>(result)[0]?.version ?? '';
}

const smallTable = (table: string) => sql.raw(`(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${table})`);
