import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { AlertStatus, TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { alerts, tickets, timelineEvents } from '../db/schema/index.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlertRow = typeof alerts.$inferInsert;

/** A delivery of an alert that may already exist: what to change on the existing row. */
export interface AlertDelivery {
  integrationId: string;
  fingerprint: string;
  status: AlertStatus;
  acknowledged: boolean;
  severity: AlertRow['severity'];
  summary: string;
  labels: Record<string, string>;
  sourceUrl: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  payload: unknown;
  now: Date;
}

/**
 * Applies a repeat delivery to the existing row, locking it, and returns the row with the status
 * it had before (undefined when there is no row yet). One statement: the CTE locks the row, so
 * two concurrent deliveries of one alert are applied one after the other, each seeing the other.
 */
export type AlertState = Pick<
  AlertRow,
  'id' | 'ticketId' | 'status' | 'count' | 'action' | 'ruleIndex' | 'groupKey' | 'summary' | 'fingerprint'
>;

export async function updateExistingAlert(db: Db, d: AlertDelivery): Promise<(AlertState & { previousStatus: AlertStatus }) | undefined> {
  const result = await db.execute(sql`
    WITH old AS (
      SELECT id, status FROM alerts WHERE integration_id = ${d.integrationId} AND fingerprint = ${d.fingerprint} FOR UPDATE
    )
    UPDATE alerts a SET
      count = a.count + 1,
      last_seen_at = ${d.now},
      status = ${d.status},
      severity = CASE WHEN ${d.summary} = '' THEN a.severity ELSE ${d.severity} END,
      summary = CASE WHEN ${d.summary} = '' THEN a.summary ELSE ${d.summary} END,
      labels = CASE WHEN ${d.summary} = '' THEN a.labels ELSE ${JSON.stringify(d.labels)}::jsonb END,
      source_url = COALESCE(${d.sourceUrl}, a.source_url),
      starts_at = COALESCE(a.starts_at, ${d.startsAt}),
      ends_at = ${d.endsAt},
      last_payload = ${JSON.stringify(d.payload)}::jsonb,
      refire_count = a.refire_count + CASE WHEN old.status = 'resolved' AND ${d.status} = 'firing' THEN 1 ELSE 0 END,
      resolved_at = CASE WHEN ${d.status} = 'resolved' THEN COALESCE(CASE WHEN old.status = 'resolved' THEN a.resolved_at END, ${d.now}::timestamptz) ELSE NULL END,
      acknowledged_at = CASE WHEN ${d.acknowledged} THEN COALESCE(a.acknowledged_at, ${d.now}::timestamptz) ELSE a.acknowledged_at END
    FROM old WHERE a.id = old.id
    RETURNING a.id, a.ticket_id, a.status, a.count, a.action, a.rule_index, a.group_key, a.summary, a.fingerprint, old.status AS previous_status`);
  const [row] = rowsOf<{
    id: string;
    ticket_id: string | null;
    status: AlertStatus;
    count: number;
    action: string;
    rule_index: number | null;
    group_key: string;
    summary: string;
    fingerprint: string;
    previous_status: AlertStatus;
  }>(result);
  if (!row) return undefined;
  return {
    id: row.id,
    ticketId: row.ticket_id,
    status: row.status,
    count: Number(row.count),
    action: row.action,
    ruleIndex: row.rule_index === null ? null : Number(row.rule_index),
    groupKey: row.group_key,
    summary: row.summary,
    fingerprint: row.fingerprint,
    previousStatus: row.previous_status,
  };
}

/** Inserts a new alert; undefined when a concurrent delivery inserted it first (then update it instead). */
export async function insertAlertIfAbsent(db: Db, row: NewAlertRow): Promise<AlertRow | undefined> {
  const [created] = await db.insert(alerts).values(row).onConflictDoNothing().returning();
  return created;
}

export async function setAlertTicket(db: Db, ids: string[], ticketId: string | null): Promise<void> {
  if (ids.length === 0) return;
  await db.update(alerts).set({ ticketId }).where(inArray(alerts.id, ids));
}

export async function moveAlertsToTicket(db: Db, fromTicketId: string, toTicketId: string): Promise<void> {
  await db.update(alerts).set({ ticketId: toTicketId }).where(eq(alerts.ticketId, fromTicketId));
}

/**
 * The open ticket a new alert of this group joins: one linked to an alert of the same
 * integration and group seen within the window. Callers hold the group's advisory lock.
 */
export async function findGroupTicket(
  db: Db,
  q: { integrationId: string; groupKey: string; since: Date; openStates: readonly TicketState[] },
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: tickets.id })
    .from(alerts)
    .innerJoin(tickets, eq(tickets.id, alerts.ticketId))
    .where(
      and(
        eq(alerts.integrationId, q.integrationId),
        eq(alerts.groupKey, q.groupKey),
        gte(alerts.lastSeenAt, q.since),
        inArray(tickets.state, [...q.openStates]),
      ),
    )
    .orderBy(desc(alerts.lastSeenAt))
    .limit(1);
  return row;
}

/** Serialises the grouping decision for one group (same integration and key) across processes. */
export async function lockAlertGroup(db: Db, integrationId: string, groupKey: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${integrationId}|${groupKey}`}, 0))`);
}

export async function listAlertsOfTicket(db: Db, ticketId: string): Promise<AlertRow[]> {
  return db.select().from(alerts).where(eq(alerts.ticketId, ticketId)).orderBy(asc(alerts.firstSeenAt), asc(alerts.id));
}

export async function countFiringAlertsOfTicket(db: Db, ticketId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alerts)
    .where(and(eq(alerts.ticketId, ticketId), eq(alerts.status, 'firing')));
  return Number(row.n);
}

/** When alerts fired on a ticket (attached or fired again), newest first, for promotion rules. */
export async function listAlertFiringTimes(db: Db, ticketId: string, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ at: timelineEvents.at })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, 'alert'),
        gte(timelineEvents.at, since),
        sql`${timelineEvents.data}->>'status' = 'firing'`,
      ),
    );
  return rows.map((r) => r.at);
}

export async function listAlerts(
  db: Db,
  q: { integrationId?: string; status?: AlertStatus; ticketId?: string; after?: { lastSeenAt: Date; id: string }; limit: number },
): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(
      and(
        q.integrationId ? eq(alerts.integrationId, q.integrationId) : undefined,
        q.status ? eq(alerts.status, q.status) : undefined,
        q.ticketId ? eq(alerts.ticketId, q.ticketId) : undefined,
        q.after
          ? or(lt(alerts.lastSeenAt, q.after.lastSeenAt), and(eq(alerts.lastSeenAt, q.after.lastSeenAt), lt(alerts.id, q.after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(alerts.lastSeenAt), desc(alerts.id))
    .limit(q.limit);
}

export async function findAlertById(db: Db, id: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row;
}
