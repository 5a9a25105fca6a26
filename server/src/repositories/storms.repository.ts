import { and, asc, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { ExactInstant } from '../../../core/cursors.js';
import type { Db, Tx } from '../db/client.js';
import { stormProposals, teams, tickets, users } from '../db/schema/index.js';
import { afterKey, exactInstant } from './keyset.js';

export type StormProposalRow = typeof stormProposals.$inferSelect;
export type NewStormProposalRow = typeof stormProposals.$inferInsert;

/** What a storm is made of: new incidents and disturbances not already part of a major incident. */
const stormMaterial = (since: Date, until: Date) =>
  and(
    gt(tickets.openedAt, since),
    lte(tickets.openedAt, until),
    inArray(tickets.kind, ['incident', 'disturbance']),
    isNull(tickets.parentId),
    isNull(tickets.majorSince),
  );

/**
 * Reports and alerts per service inside a window: one indexed range read per service
 * (`tickets_service_opened_idx`), answered as a handful of rows however big the storm.
 */
export async function countStormTickets(db: Db, window: { serviceIds: string[]; since: Date; until: Date }) {
  if (window.serviceIds.length === 0) return [];
  const rows = await db
    .select({
      serviceId: tickets.serviceId,
      alert: sql<boolean>`${tickets.channel} = 'alert'`,
      n: sql<number>`count(*)::int`,
      first: sql<string>`min(${tickets.openedAt})`,
      last: sql<string>`max(${tickets.openedAt})`,
    })
    .from(tickets)
    .where(and(inArray(tickets.serviceId, window.serviceIds), stormMaterial(window.since, window.until)))
    .groupBy(tickets.serviceId, sql`${tickets.channel} = 'alert'`);
  return rows.map((r) => ({ ...r, serviceId: r.serviceId as string, first: new Date(r.first), last: new Date(r.last) }));
}

/**
 * The window's reports and alerts per service (null: on no service), read through the
 * opened-at index — only the window's rows, however large the desk.
 */
export async function countWindowByService(db: Db, window: { since: Date; until: Date; serviceIds?: string[] }) {
  const rows = await db
    .select({ serviceId: tickets.serviceId, alert: sql<boolean>`${tickets.channel} = 'alert'`, n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(and(stormMaterial(window.since, window.until), window.serviceIds ? inArray(tickets.serviceId, window.serviceIds) : undefined))
    .groupBy(tickets.serviceId, sql`${tickets.channel} = 'alert'`);
  return rows;
}

/** Service storms in play: open proposals, and those decided inside the window — in one read. */
export async function listServiceProposalsInPlay(db: Db, since: Date) {
  const rows = await db
    .select({ serviceId: stormProposals.serviceId, status: stormProposals.status, decidedAt: stormProposals.decidedAt })
    .from(stormProposals)
    .where(and(isNotNull(stormProposals.serviceId), or(eq(stormProposals.status, 'open'), gt(stormProposals.decidedAt, since))));
  return { open: rows.filter((r) => r.status === 'open'), decisions: rows.filter((r) => r.decidedAt !== null) };
}

/** The `nth` (1-based) oldest storm ticket of the window on these services: when the count reached n. */
export async function nthStormTicketAt(
  db: Db,
  window: { serviceIds: string[]; since: Date; until: Date },
  nth: number,
): Promise<Date | null> {
  const [row] = await db
    .select({ openedAt: tickets.openedAt })
    .from(tickets)
    .where(and(inArray(tickets.serviceId, window.serviceIds), stormMaterial(window.since, window.until)))
    .orderBy(asc(tickets.openedAt))
    .offset(nth - 1)
    .limit(1);
  return row?.openedAt ?? null;
}

/** A window's storm tickets on these services, oldest first. */
export async function listStormTickets(db: Db, window: { serviceIds: string[]; since: Date; until: Date }, limit: number) {
  return db
    .select({ id: tickets.id, title: tickets.title, openedAt: tickets.openedAt, channel: tickets.channel })
    .from(tickets)
    .where(and(inArray(tickets.serviceId, window.serviceIds), stormMaterial(window.since, window.until)))
    .orderBy(asc(tickets.openedAt), asc(tickets.id))
    .limit(limit);
}

/** The newest reports on no service inside a window, oldest first: what their words are compared over. */
export async function listUnservicedStormTickets(db: Db, window: { since: Date; until: Date }, limit: number) {
  const rows = await db
    .select({ id: tickets.id, title: tickets.title, openedAt: tickets.openedAt, channel: tickets.channel })
    .from(tickets)
    .where(and(isNull(tickets.serviceId), stormMaterial(window.since, window.until)))
    .orderBy(desc(tickets.openedAt), desc(tickets.id))
    .limit(limit);
  return rows.reverse();
}

export async function findOpenProposal(db: Db, clusterKey: string): Promise<StormProposalRow | undefined> {
  const [row] = await db
    .select()
    .from(stormProposals)
    .where(and(eq(stormProposals.clusterKey, clusterKey), eq(stormProposals.status, 'open')));
  return row;
}

export async function listOpenTextProposals(db: Db): Promise<StormProposalRow[]> {
  return db
    .select()
    .from(stormProposals)
    .where(and(isNull(stormProposals.serviceId), eq(stormProposals.status, 'open')));
}

/** Recent decisions on storms on no service (their words decide which cluster is which). */
export async function listRecentTextDecisions(db: Db, since: Date) {
  return db
    .select({ sampleTitle: stormProposals.sampleTitle, decidedAt: stormProposals.decidedAt })
    .from(stormProposals)
    .where(and(isNull(stormProposals.serviceId), gt(stormProposals.decidedAt, since)));
}

/** Raises a proposal unless its cluster has an open one already (then undefined). */
export async function insertProposal(db: Db, row: NewStormProposalRow): Promise<StormProposalRow | undefined> {
  const [created] = await db.insert(stormProposals).values(row).onConflictDoNothing().returning();
  return created;
}

/** The detector's refresh of an open proposal's counts (no new version: nobody decided anything). */
export async function refreshProposal(db: Db, id: string, patch: Partial<NewStormProposalRow>): Promise<void> {
  await db
    .update(stormProposals)
    .set(patch)
    .where(and(eq(stormProposals.id, id), eq(stormProposals.status, 'open')));
}

export async function lockProposal(tx: Tx, id: string): Promise<StormProposalRow | undefined> {
  const [row] = await tx.select().from(stormProposals).where(eq(stormProposals.id, id)).for('update');
  return row;
}

export async function findProposal(db: Db, id: string): Promise<StormProposalRow | undefined> {
  const [row] = await db.select().from(stormProposals).where(eq(stormProposals.id, id));
  return row;
}

export async function saveProposal(tx: Tx, id: string, patch: Partial<NewStormProposalRow>): Promise<StormProposalRow> {
  const [row] = await tx
    .update(stormProposals)
    .set({ ...patch, version: sql`${stormProposals.version} + 1` })
    .where(eq(stormProposals.id, id))
    .returning();
  return row;
}

/** Proposals newest first, a page at a time (keyset on raised_at, id). */
export async function listProposals(
  db: Db,
  query: { status?: 'open' | 'dismissed' | 'declared'; after?: [ExactInstant, string]; limit: number },
) {
  const conditions = [
    query.status ? eq(stormProposals.status, query.status) : undefined,
    query.after ? afterKey([stormProposals.raisedAt, stormProposals.id], query.after, 'desc') : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({ ...getTableColumns(stormProposals), cursorAt: exactInstant(stormProposals.raisedAt) })
    .from(stormProposals)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(stormProposals.raisedAt), desc(stormProposals.id))
    .limit(query.limit);
}

/** Tells every server process (and so every desk) that a proposal appeared or changed, at commit. */
export async function announceStorm(db: Db, proposalId: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify('firebreak_events', ${JSON.stringify({ topic: 'storm', proposalId })})`);
}

/** The desk's managers: active people with the manager role, and the manager of the team owning the service. */
export async function findDeskManagers(db: Db, ownerTeamId: string | null): Promise<{ id: string }[]> {
  const owner = ownerTeamId ? await db.select({ id: teams.managerId }).from(teams).where(eq(teams.id, ownerTeamId)) : [];
  const managers = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'manager'), eq(users.active, true)));
  const ids = new Set([...managers.map((m) => m.id), ...owner.map((o) => o.id).filter((id): id is string => id !== null)]);
  return [...ids].map((id) => ({ id }));
}

/** Someone Firebreak can report a policy-declared incident as: the earliest active admin. */
export async function findFirstActiveAdmin(db: Db): Promise<{ id: string; role: 'admin' } | undefined> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return row ? { id: row.id, role: 'admin' } : undefined;
}
