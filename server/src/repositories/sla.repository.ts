import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../../../core/business-calendar.js';
import { type StateEntry, stateEntryOf } from '../../../core/sla-policy.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { businessCalendars, slaPolicies, tickets, timelineEvents, users } from '../db/schema/index.js';

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type NewCalendarRow = typeof businessCalendars.$inferInsert;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type NewSlaPolicyRow = typeof slaPolicies.$inferInsert;

export async function insertCalendar(db: Db, row: NewCalendarRow): Promise<CalendarRow> {
  const [created] = await db.insert(businessCalendars).values(row).returning();
  return created;
}

export async function findCalendarById(db: Db, id: string): Promise<CalendarRow | undefined> {
  const [row] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  return row;
}

/** The calendar an SLA policy counts in; null when it has none (round the clock) or there is no policy. */
export async function findCalendarOfPolicy(db: Db, policyId: string | null): Promise<BusinessCalendar | null> {
  if (policyId === null) return null;
  const [row] = await db
    .select({ timeZone: businessCalendars.timeZone, week: businessCalendars.week, holidays: businessCalendars.holidays })
    .from(slaPolicies)
    .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
    .where(eq(slaPolicies.id, policyId));
  return row ?? null;
}

export async function listCalendars(db: Db): Promise<CalendarRow[]> {
  return db
    .select()
    .from(businessCalendars)
    .orderBy(asc(sql`lower(${businessCalendars.name})`));
}

export async function updateCalendar(db: Db, id: string, patch: Partial<NewCalendarRow>): Promise<CalendarRow | undefined> {
  if (Object.keys(patch).length === 0) return findCalendarById(db, id);
  const [row] = await db.update(businessCalendars).set(patch).where(eq(businessCalendars.id, id)).returning();
  return row;
}

export async function insertSlaPolicy(db: Db, row: NewSlaPolicyRow): Promise<SlaPolicyRow> {
  const [created] = await db.insert(slaPolicies).values(row).returning();
  return created;
}

export async function findSlaPolicyById(db: Db, id: string): Promise<SlaPolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  return row;
}

export async function listSlaPolicies(db: Db): Promise<SlaPolicyRow[]> {
  return db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
}

export async function updateSlaPolicy(db: Db, id: string, patch: Partial<NewSlaPolicyRow>): Promise<SlaPolicyRow | undefined> {
  if (Object.keys(patch).length === 0) return findSlaPolicyById(db, id);
  const [row] = await db.update(slaPolicies).set(patch).where(eq(slaPolicies.id, id)).returning();
  return row;
}

/** The states a ticket went through, oldest first, read from its timeline. */
export async function listStateEntries(db: Db, ticketId: string): Promise<StateEntry[]> {
  return (await listStateEntriesOfTickets(db, [ticketId])).get(ticketId) ?? [];
}

/** The same for many tickets in one query (the timeline's (ticket, id) index serves it). */
export async function listStateEntriesOfTickets(db: Db, ticketIds: readonly string[]): Promise<Map<string, StateEntry[]>> {
  const byTicket = new Map<string, StateEntry[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return byTicket;
  const rows = await db
    .select({
      ticketId: timelineEvents.ticketId,
      at: timelineEvents.at,
      type: timelineEvents.type,
      changes: timelineEvents.changes,
      data: timelineEvents.data,
    })
    .from(timelineEvents)
    .where(and(inArray(timelineEvents.ticketId, [...ticketIds]), inArray(timelineEvents.type, ['created', 'state_changed'])))
    .orderBy(asc(timelineEvents.ticketId), asc(timelineEvents.id));
  for (const row of rows) {
    const entry = stateEntryOf(row);
    if (entry) byTicket.get(row.ticketId)?.push(entry);
  }
  return byTicket;
}

/** What the SLA clocks of an open ticket are computed from, with its requester's organisation for policy matching. */
export type OpenTicketSlaFacts = Pick<
  typeof tickets.$inferSelect,
  | 'id'
  | 'kind'
  | 'priority'
  | 'serviceId'
  | 'state'
  | 'openedAt'
  | 'firstResponseAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'slaPolicyId'
  | 'slaDueAt'
> & { organisation: string | null };

/**
 * One page of open tickets, by id after `afterId`; only those on `policyId` when given (a change
 * to a policy's targets touches no other ticket).
 */
export async function listOpenTicketsForSla(
  db: Db,
  page: { afterId: string | null; limit: number; policyId?: string },
): Promise<OpenTicketSlaFacts[]> {
  return db
    .select({
      id: tickets.id,
      kind: tickets.kind,
      priority: tickets.priority,
      serviceId: tickets.serviceId,
      state: tickets.state,
      openedAt: tickets.openedAt,
      firstResponseAt: tickets.firstResponseAt,
      resolvedAt: tickets.resolvedAt,
      closedAt: tickets.closedAt,
      slaPolicyId: tickets.slaPolicyId,
      slaDueAt: tickets.slaDueAt,
      organisation: users.organisation,
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.requesterId))
    .where(
      and(
        inArray(tickets.state, [...OPEN_STATES]),
        page.afterId ? gt(tickets.id, page.afterId) : undefined,
        page.policyId ? eq(tickets.slaPolicyId, page.policyId) : undefined,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(page.limit);
}

/**
 * Sets the policy and next due time of many tickets in one statement. Like `setSlaDue`, it does
 * not bump their versions: it follows from an admin's change of configuration, not a change a
 * person made to the ticket, so nobody's open edit form becomes stale.
 */
export async function setSlaOfTickets(
  db: Db,
  rows: readonly {
    id: string;
    slaPolicyId: string | null;
    slaDueAt: Date | null;
    /** The business durations recounted in the new policy's calendar (the KPI facts), when the policy changed. */
    businessAcknowledgeMs?: number | null;
    businessResolveMs?: number | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  const input = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      policy: r.slaPolicyId,
      due: r.slaDueAt?.toISOString() ?? null,
      recount: r.businessAcknowledgeMs !== undefined,
      ack: r.businessAcknowledgeMs ?? null,
      resolve: r.businessResolveMs ?? null,
    })),
  );
  await db.execute(sql`
    UPDATE tickets SET sla_policy_id = x.policy, sla_due_at = x.due,
      business_acknowledge_ms = CASE WHEN x.recount THEN x.ack ELSE tickets.business_acknowledge_ms END,
      business_resolve_ms = CASE WHEN x.recount THEN x.resolve ELSE tickets.business_resolve_ms END
    FROM jsonb_to_recordset(${input}::jsonb) AS x(id uuid, policy uuid, due timestamptz, recount boolean, ack bigint, resolve bigint)
    WHERE tickets.id = x.id`);
}

/** Whether a warning or breach was already recorded for this ticket, target and policy. */
export async function hasSlaEvent(
  db: Db,
  ticketId: string,
  type: 'sla_warning' | 'sla_breached',
  target: string,
  policyId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, type),
        sql`${timelineEvents.data}->>'target' = ${target}`,
        sql`${timelineEvents.data}->>'policyId' = ${policyId}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/**
 * The warnings and breaches already recorded on these tickets, in one query (a sweep's SLA
 * timers ask it once for all of them instead of `hasSlaEvent` per timer).
 */
export async function listSlaEventsOfTickets(
  db: Db,
  ticketIds: readonly string[],
): Promise<{ ticketId: string; type: string; target: string | null; policyId: string | null }[]> {
  if (ticketIds.length === 0) return [];
  return db
    .select({
      ticketId: timelineEvents.ticketId,
      type: timelineEvents.type,
      target: sql<string | null>`${timelineEvents.data}->>'target'`,
      policyId: sql<string | null>`${timelineEvents.data}->>'policyId'`,
    })
    .from(timelineEvents)
    .where(and(inArray(timelineEvents.ticketId, [...ticketIds]), inArray(timelineEvents.type, ['sla_warning', 'sla_breached'])));
}
