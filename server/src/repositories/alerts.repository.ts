import { and, asc, desc, eq, getTableColumns, gte, sql } from 'drizzle-orm';
import type { ExactInstant } from '../../../core/cursors.js';
import type { AlertStatus, TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { executeNamed } from '../db/prepared.js';
import { alerts, tickets, timelineEvents } from '../db/schema/index.js';
import { afterKey, exactInstant } from './keyset.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlertRow = typeof alerts.$inferInsert;

/** What the intake needs of an alert row to decide what a delivery sets off. */
export type AlertState = Pick<
  AlertRow,
  'id' | 'ticketId' | 'status' | 'count' | 'action' | 'ruleIndex' | 'groupKey' | 'summary' | 'fingerprint'
>;

/**
 * Several deliveries of one alert within a batch, folded into one: `deliveries` of them, all
 * with the same status, the latest one's content. What a multi-row write applies at once.
 */
export interface FoldedDelivery {
  fingerprint: string;
  deliveries: number;
  status: AlertStatus;
  acknowledged: boolean;
  severity: AlertRow['severity'];
  summary: string;
  labels: Record<string, string>;
  sourceUrl: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  payload: unknown;
}

/** One delivery of an alert that may already exist: what to change on the existing row. */
export type AlertDelivery = Omit<FoldedDelivery, 'deliveries'> & { integrationId: string; now: Date };

/** A known alert after a repeat delivery: the status it had before, and whether this delivery first acknowledged it. */
export type RepeatedAlert = AlertState & { previousStatus: AlertStatus; newlyAcknowledged: boolean };

/** A folded delivery with the integration (and the token it came in with) it belongs to. */
export interface PlainRepeatInput {
  integrationId: string;
  /** The token hash the delivery was let in with: a token revoked or replaced since matches nothing. */
  tokenHash: string;
  delivery: FoldedDelivery;
}

/** A folded delivery as one record of the jsonb_to_recordset input the bulk updates read. */
function deliveryRecord(d: FoldedDelivery) {
  return {
    fingerprint: d.fingerprint,
    deliveries: d.deliveries,
    status: d.status,
    acknowledged: d.acknowledged,
    severity: d.severity,
    summary: d.summary,
    labels: d.labels,
    source_url: d.sourceUrl,
    starts_at: d.startsAt?.toISOString() ?? null,
    ends_at: d.endsAt?.toISOString() ?? null,
    payload: d.payload ?? null,
  };
}

/**
 * The commonest delivery of all, applied in ONE statement that commits on its own: a repeat of a
 * known alert that keeps its status (and does not newly acknowledge it), so it sets nothing off —
 * no ticket, no note, no page. Only its counter, last-seen time and latest content change. Rows
 * are locked in id order, like updateExistingAlerts. An integration revoked or re-keyed since the
 * delivery was let in matches nothing, and so does anything that is not a plain repeat: the
 * caller takes whatever is not in the answer through the full transaction.
 */
export async function applyPlainRepeats(
  db: Db,
  inputs: readonly PlainRepeatInput[],
  now: Date,
): Promise<(AlertState & { integrationId: string; tokenHash: string })[]> {
  if (inputs.length === 0) return [];
  const input = JSON.stringify(
    inputs.map(({ integrationId, tokenHash, delivery }) => ({
      integration_id: integrationId,
      token_hash: tokenHash,
      ...deliveryRecord(delivery),
    })),
  );
  const result = await executeNamed(
    db,
    'alerts_plain_repeats',
    sql`
    WITH input AS (
      SELECT x.* FROM jsonb_to_recordset(${input}::jsonb) AS x(
        integration_id uuid, token_hash text, fingerprint text, deliveries int, status text, acknowledged boolean,
        severity text, summary text, labels jsonb, source_url text, starts_at timestamptz, ends_at timestamptz, payload jsonb)
      JOIN integrations i ON i.id = x.integration_id AND i.token_hash = x.token_hash AND i.revoked_at IS NULL
    ),
    -- The integrations' "last alert" time, at most once a minute (so rarely a lock on their row).
    touched AS (
      UPDATE integrations SET last_alert_at = ${now}
      WHERE id IN (SELECT integration_id FROM input)
        AND (last_alert_at IS NULL OR last_alert_at < ${now}::timestamptz - interval '1 minute')
      RETURNING id
    ),
    old AS (
      SELECT a.id FROM alerts a JOIN input x ON a.integration_id = x.integration_id AND a.fingerprint = x.fingerprint
      WHERE a.status = x.status AND (NOT x.acknowledged OR a.acknowledged_at IS NOT NULL)
      ORDER BY a.id FOR UPDATE OF a
    )
    UPDATE alerts a SET
      count = a.count + x.deliveries,
      -- To the second: within one, the row keeps every indexed value, so PostgreSQL updates it
      -- in place (a HOT update, room left by the table's fillfactor) instead of adding an entry
      -- to each of its five indexes. An alert repeating many times a second costs far less.
      last_seen_at = CASE WHEN a.last_seen_at > ${now}::timestamptz - interval '1 second' THEN a.last_seen_at ELSE ${now}::timestamptz END,
      severity = CASE WHEN x.summary = '' THEN a.severity ELSE x.severity END,
      summary = CASE WHEN x.summary = '' THEN a.summary ELSE x.summary END,
      labels = CASE WHEN x.summary = '' THEN a.labels ELSE x.labels END,
      source_url = COALESCE(x.source_url, a.source_url),
      starts_at = COALESCE(a.starts_at, x.starts_at),
      ends_at = x.ends_at,
      last_payload = COALESCE(x.payload, 'null'::jsonb)
    FROM old, input x
    WHERE a.id = old.id AND x.integration_id = a.integration_id AND x.fingerprint = a.fingerprint
      -- Checked again after the lock: a transaction that changed the status meanwhile wins.
      AND a.status = x.status AND (NOT x.acknowledged OR a.acknowledged_at IS NOT NULL)
    RETURNING a.id, a.integration_id, x.token_hash, a.ticket_id, a.status, a.count, a.action, a.rule_index, a.group_key, a.summary, a.fingerprint`,
  );
  return rowsOf<{
    id: string;
    integration_id: string;
    token_hash: string;
    ticket_id: string | null;
    status: AlertStatus;
    count: number;
    action: string;
    rule_index: number | null;
    group_key: string;
    summary: string;
    fingerprint: string;
  }>(result).map((row) => ({
    id: row.id,
    integrationId: row.integration_id,
    tokenHash: row.token_hash,
    ticketId: row.ticket_id,
    status: row.status,
    count: Number(row.count),
    action: row.action,
    ruleIndex: row.rule_index === null ? null : Number(row.rule_index),
    groupKey: row.group_key,
    summary: row.summary,
    fingerprint: row.fingerprint,
  }));
}

/**
 * updateExistingAlert for many alerts of one integration in ONE statement: the rows that exist
 * are locked in id order (so concurrent batches never deadlock on each other), then updated as
 * that many deliveries would have updated them. Returns the updated rows with the status each
 * had before; fingerprints without a row are simply not in the answer.
 */
export async function updateExistingAlerts(
  db: Db,
  integrationId: string,
  folded: readonly FoldedDelivery[],
  now: Date,
): Promise<RepeatedAlert[]> {
  if (folded.length === 0) return [];
  const input = JSON.stringify(folded.map(deliveryRecord));
  const result = await executeNamed(
    db,
    'alerts_update_existing',
    sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS x(
        fingerprint text, deliveries int, status text, acknowledged boolean, severity text, summary text,
        labels jsonb, source_url text, starts_at timestamptz, ends_at timestamptz, payload jsonb)
    ),
    old AS (
      SELECT a.id, a.status, a.acknowledged_at FROM alerts a JOIN input x ON a.fingerprint = x.fingerprint
      WHERE a.integration_id = ${integrationId} ORDER BY a.id FOR UPDATE OF a
    )
    UPDATE alerts a SET
      count = a.count + x.deliveries,
      last_seen_at = ${now},
      status = x.status,
      severity = CASE WHEN x.summary = '' THEN a.severity ELSE x.severity END,
      summary = CASE WHEN x.summary = '' THEN a.summary ELSE x.summary END,
      labels = CASE WHEN x.summary = '' THEN a.labels ELSE x.labels END,
      source_url = COALESCE(x.source_url, a.source_url),
      starts_at = COALESCE(a.starts_at, x.starts_at),
      ends_at = x.ends_at,
      last_payload = COALESCE(x.payload, 'null'::jsonb),
      refire_count = a.refire_count + CASE WHEN old.status = 'resolved' AND x.status = 'firing' THEN 1 ELSE 0 END,
      resolved_at = CASE WHEN x.status = 'resolved' THEN COALESCE(CASE WHEN old.status = 'resolved' THEN a.resolved_at END, ${now}::timestamptz) ELSE NULL END,
      acknowledged_at = CASE WHEN x.acknowledged THEN COALESCE(a.acknowledged_at, ${now}::timestamptz) ELSE a.acknowledged_at END
    FROM old, input x
    WHERE a.id = old.id AND x.fingerprint = a.fingerprint
    RETURNING a.id, a.ticket_id, a.status, a.count, a.action, a.rule_index, a.group_key, a.summary, a.fingerprint, old.status AS previous_status,
      (old.acknowledged_at IS NULL AND a.acknowledged_at IS NOT NULL) AS newly_acknowledged`,
  );
  return rowsOf<{
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
    newly_acknowledged: boolean;
  }>(result).map((row) => ({
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
    newlyAcknowledged: row.newly_acknowledged === true,
  }));
}

/**
 * Applies one repeat delivery to the existing row, locking it, and returns the row with the
 * status it had before (undefined when there is no row yet): updateExistingAlerts for one.
 */
export async function updateExistingAlert(db: Db, d: AlertDelivery): Promise<RepeatedAlert | undefined> {
  const [row] = await updateExistingAlerts(db, d.integrationId, [{ ...d, deliveries: 1 }], d.now);
  return row;
}

/**
 * Inserts new alerts in one statement, in fingerprint order (two batches inserting the same new
 * alerts wait for each other in the same order, never in a cycle). A row another transaction
 * inserted first is skipped: it is not in the answer, and the caller applies that delivery as a
 * repeat instead.
 */
export async function insertAlertsIfAbsent(db: Db, rows: NewAlertRow[]): Promise<AlertRow[]> {
  if (rows.length === 0) return [];
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  // One JSON parameter rather than 18 per row: a burst of 500 new alerts is one small statement.
  const input = JSON.stringify(
    rows.map((r) => ({
      integration_id: r.integrationId,
      fingerprint: r.fingerprint,
      status: r.status,
      severity: r.severity,
      summary: r.summary,
      labels: r.labels,
      source_url: r.sourceUrl ?? null,
      starts_at: iso(r.startsAt),
      ends_at: iso(r.endsAt),
      first_seen_at: iso(r.firstSeenAt),
      last_seen_at: iso(r.lastSeenAt),
      count: r.count ?? 1,
      acknowledged_at: iso(r.acknowledgedAt),
      resolved_at: iso(r.resolvedAt),
      last_payload: r.lastPayload ?? null,
      action: r.action,
      rule_index: r.ruleIndex ?? null,
      group_key: r.groupKey,
    })),
  );
  const result = await executeNamed(
    db,
    'alerts_insert_absent',
    sql`
    INSERT INTO alerts (integration_id, fingerprint, status, severity, summary, labels, source_url, starts_at, ends_at,
      first_seen_at, last_seen_at, count, acknowledged_at, resolved_at, last_payload, action, rule_index, group_key)
    SELECT x.integration_id, x.fingerprint, x.status, x.severity, x.summary, x.labels, x.source_url, x.starts_at, x.ends_at,
      x.first_seen_at, x.last_seen_at, x.count, x.acknowledged_at, x.resolved_at, COALESCE(x.last_payload, 'null'::jsonb),
      x.action, x.rule_index, x.group_key
    FROM jsonb_to_recordset(${input}::jsonb) AS x(integration_id uuid, fingerprint text, status text, severity text, summary text,
      labels jsonb, source_url text, starts_at timestamptz, ends_at timestamptz, first_seen_at timestamptz, last_seen_at timestamptz,
      count int, acknowledged_at timestamptz, resolved_at timestamptz, last_payload jsonb, action text, rule_index int, group_key text)
    ORDER BY x.fingerprint
    ON CONFLICT (integration_id, fingerprint) DO NOTHING
    RETURNING id, integration_id AS "integrationId", fingerprint, status, severity, summary, labels, source_url AS "sourceUrl",
      starts_at AS "startsAt", ends_at AS "endsAt", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", count,
      refire_count AS "refireCount", acknowledged_at AS "acknowledgedAt", resolved_at AS "resolvedAt",
      last_payload AS "lastPayload", action, rule_index AS "ruleIndex", group_key AS "groupKey", ticket_id AS "ticketId"`,
  );
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return rowsOf<AlertRow>(result).map((row) => ({
    ...row,
    count: Number(row.count),
    refireCount: Number(row.refireCount),
    ruleIndex: row.ruleIndex === null ? null : Number(row.ruleIndex),
    startsAt: date(row.startsAt),
    endsAt: date(row.endsAt),
    firstSeenAt: date(row.firstSeenAt) as Date,
    lastSeenAt: date(row.lastSeenAt) as Date,
    acknowledgedAt: date(row.acknowledgedAt),
    resolvedAt: date(row.resolvedAt),
  }));
}

export async function moveAlertsToTicket(db: Db, fromTicketId: string, toTicketId: string): Promise<void> {
  await db.update(alerts).set({ ticketId: toTicketId }).where(eq(alerts.ticketId, fromTicketId));
}

/**
 * The open ticket each group joins: the ticket of an alert of that integration and group seen
 * since the group's window began, the most recently seen one if several. Groups without one are
 * not in the answer. One query for all groups of a batch.
 */
export async function findGroupTickets(
  db: Db,
  integrationId: string,
  groups: readonly { groupKey: string; since: Date }[],
  openStates: readonly TicketState[],
): Promise<Map<string, string>> {
  if (groups.length === 0) return new Map();
  const input = JSON.stringify(groups.map((g) => ({ group_key: g.groupKey, since: g.since.toISOString() })));
  // Driven from each group: the group index read newest first, stopping at the first alert whose
  // ticket is open — never a scan of every alert on every open ticket.
  const result = await executeNamed(
    db,
    `alerts_group_tickets_${openStates.length}`,
    sql`
    SELECT g.group_key, found.id
    FROM jsonb_to_recordset(${input}::jsonb) AS g(group_key text, since timestamptz)
    CROSS JOIN LATERAL (
      SELECT t.id FROM alerts a JOIN tickets t ON t.id = a.ticket_id
      WHERE a.integration_id = ${integrationId} AND a.group_key = g.group_key AND a.last_seen_at >= g.since
        AND t.state IN (${sql.join(
          openStates.map((s) => sql`${s}`),
          sql`, `,
        )})
      ORDER BY a.last_seen_at DESC
      LIMIT 1
    ) AS found`,
  );
  return new Map(rowsOf<{ group_key: string; id: string }>(result).map((r) => [r.group_key, r.id]));
}

/** Links alerts to tickets, in one statement. */
export async function setAlertTickets(db: Db, links: readonly { alertId: string; ticketId: string }[]): Promise<void> {
  if (links.length === 0) return;
  const input = JSON.stringify(links.map((l) => ({ id: l.alertId, ticket_id: l.ticketId })));
  await db.execute(sql`
    UPDATE alerts a SET ticket_id = x.ticket_id
    FROM jsonb_to_recordset(${input}::jsonb) AS x(id uuid, ticket_id uuid)
    WHERE a.id = x.id`);
}

/** Serialises the grouping decision for one group (same integration and key) across processes. */
export async function lockAlertGroup(db: Tx, integrationId: string, groupKey: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${integrationId}|${groupKey}`}, 0))`);
}

export async function listAlertsOfTicket(db: Db, ticketId: string): Promise<AlertRow[]> {
  return db.select().from(alerts).where(eq(alerts.ticketId, ticketId)).orderBy(asc(alerts.firstSeenAt), asc(alerts.id));
}

/**
 * When alerts fired on a ticket (attached or fired again), for promotion rules: one time per
 * alert, so an event that records several alerts firing together (data.alerts) counts as many.
 */
export async function listAlertFiringTimes(db: Db, ticketId: string, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ at: timelineEvents.at, alerts: sql<number>`coalesce((${timelineEvents.data}->>'alerts')::int, 1)` })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, 'alert'),
        gte(timelineEvents.at, since),
        sql`${timelineEvents.data}->>'status' = 'firing'`,
      ),
    );
  return rows.flatMap((r) => Array.from({ length: Number(r.alerts) }, () => r.at));
}

/** An alert as lists show it: with its ticket's number (INC…/DST…), when it has a ticket. */
export type ListedAlert = AlertRow & { ticketNumber: string | null };

export async function listAlerts(
  db: Db,
  q: { integrationId?: string; status?: AlertStatus; ticketId?: string; after?: { lastSeenAt: ExactInstant; id: string }; limit: number },
): Promise<(ListedAlert & { cursorAt: ExactInstant })[]> {
  return db
    .select({ ...getTableColumns(alerts), ticketNumber: tickets.number, cursorAt: exactInstant(alerts.lastSeenAt) })
    .from(alerts)
    .leftJoin(tickets, eq(tickets.id, alerts.ticketId))
    .where(
      and(
        q.integrationId ? eq(alerts.integrationId, q.integrationId) : undefined,
        q.status ? eq(alerts.status, q.status) : undefined,
        q.ticketId ? eq(alerts.ticketId, q.ticketId) : undefined,
        q.after ? afterKey([alerts.lastSeenAt, alerts.id], [q.after.lastSeenAt, q.after.id], 'desc') : undefined,
      ),
    )
    .orderBy(desc(alerts.lastSeenAt), desc(alerts.id))
    .limit(q.limit);
}

export async function findAlertById(db: Db, id: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row;
}
