import { type SQL, sql } from 'drizzle-orm';
import type { DurationKpi } from '../../../core/kpis/durations.js';
import { KINDS_REPORTED_ONLY_BY_NAME, type KpiFilter, type KpiPeriod } from '../../../core/kpis/kpi-ticket.js';
import { type MajorIncidentsKpi, type SatisfactionKpi, satisfactionFromCounts } from '../../../core/kpis/people.js';
import { type RateKpi, rateFromCounts, type SlaKpi, slaFromCounts } from '../../../core/kpis/rates.js';
import type { BacklogAgeKpi, CreatedResolvedKpi, OpenWorkKpi } from '../../../core/kpis/volume.js';
import { BACKLOG_BUCKETS, daysOf } from '../../../core/kpis/volume.js';
import type { TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';

export type { KpiFilter };

/**
 * The KPIs in SQL (core/kpis/ holds their definitions as pure functions; kpis.db.test.ts holds the
 * two equal on generated tickets). Every figure is one aggregate over the tickets table, reading
 * the KPI facts the ticket-change pipeline keeps on each row (reassignment, reopen and staff-reply
 * counters; business hours to first response and to resolution; the SLA breach flag), so no
 * timeline is replayed and no calendar walked per request.
 */
const OPEN = sql.raw(`('new', 'assigned', 'in_progress', 'on_hold')`);
const RESOLVED = sql.raw(`t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL`);

function uuidList(ids: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
}

/** The filter as a condition on tickets aliased `t`. */
export function filterSql(f: KpiFilter): SQL {
  const parts: SQL[] = [sql`TRUE`];
  if (f.teamIds) parts.push(f.teamIds.length ? sql`t.team_id = ANY(${uuidList(f.teamIds)})` : sql`FALSE`);
  if (f.serviceId) parts.push(sql`t.service_id = ${f.serviceId}::uuid`);
  if (f.categoryId) parts.push(sql`(t.category_id = ${f.categoryId}::uuid OR t.subcategory_id = ${f.categoryId}::uuid)`);
  if (f.priority?.length)
    parts.push(
      sql`t.priority IN (${sql.join(
        f.priority.map((p) => sql`${p}`),
        sql`, `,
      )})`,
    );
  const kinds = f.kind?.length ? f.kind : null;
  if (kinds)
    parts.push(
      sql`t.kind::text IN (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  else
    parts.push(
      sql`t.kind::text NOT IN (${sql.join(
        KINDS_REPORTED_ONLY_BY_NAME.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  return sql.join(parts, sql` AND `);
}

const inPeriod = (column: SQL, p: KpiPeriod) =>
  sql`${column} >= ${p.from.toISOString()}::timestamptz AND ${column} < ${p.to.toISOString()}::timestamptz`;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function openWorkSql(db: Db, f: KpiFilter): Promise<OpenWorkKpi> {
  const rows = rowsOf<{ priority: number; state: TicketState; count: number }>(
    await db.execute(sql`SELECT t.priority::int AS priority, t.state::text AS state, count(*)::int AS count
      FROM tickets t WHERE t.state IN ${OPEN} AND ${filterSql(f)}
      GROUP BY t.priority, t.state`),
  );
  const order = ['new', 'assigned', 'in_progress', 'on_hold'];
  const cells = rows
    .map((r) => ({ priority: num(r.priority), state: r.state, count: num(r.count) }))
    .sort((a, b) => a.priority - b.priority || order.indexOf(a.state) - order.indexOf(b.state));
  return { total: cells.reduce((s, c) => s + c.count, 0), cells };
}

export async function createdVsResolvedSql(db: Db, f: KpiFilter, period: KpiPeriod, timeZone: string): Promise<CreatedResolvedKpi> {
  // Grouped by the local date (a cheap cast), named as text once per day rather than once per ticket.
  const rows = rowsOf<{ day: string; created: number; resolved: number }>(
    await db.execute(sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(created)::int AS created, sum(resolved)::int AS resolved FROM (
        SELECT (t.opened_at AT TIME ZONE ${timeZone})::date AS day, count(*) AS created, 0 AS resolved
          FROM tickets t WHERE ${inPeriod(sql`t.opened_at`, period)} AND ${filterSql(f)} GROUP BY 1
        UNION ALL
        SELECT (t.resolved_at AT TIME ZONE ${timeZone})::date, 0, count(*)
          FROM tickets t WHERE ${RESOLVED} AND ${inPeriod(sql`t.resolved_at`, period)} AND ${filterSql(f)} GROUP BY 1
      ) counted GROUP BY day`),
  );
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return {
    days: daysOf(period, timeZone).map((d) => ({
      day: d,
      created: num(byDay.get(d)?.created ?? 0),
      resolved: num(byDay.get(d)?.resolved ?? 0),
    })),
  };
}

export async function backlogAgeSql(db: Db, f: KpiFilter, now: Date): Promise<BacklogAgeKpi> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const cases = [...BACKLOG_BUCKETS]
    .reverse()
    .map((b) => sql`WHEN ${at} - t.opened_at >= ${`${b.fromDays} days`}::interval THEN ${b.bucket}`);
  const rows = rowsOf<{ bucket: string; count: number; oldest: number | null }>(
    await db.execute(sql`SELECT CASE ${sql.join(cases, sql` `)} ELSE 'under_1_day' END AS bucket, count(*)::int AS count,
        (extract(epoch FROM min(t.opened_at)) * 1000)::float8 AS oldest
      FROM tickets t WHERE t.state IN ${OPEN} AND ${filterSql(f)} GROUP BY 1`),
  );
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const oldest = rows.reduce<number | null>(
    (o, r) => (r.oldest === null ? o : o === null ? num(r.oldest) : Math.min(o, num(r.oldest))),
    null,
  );
  const buckets = BACKLOG_BUCKETS.map((b) => ({ bucket: b.bucket, label: b.label, count: num(byBucket.get(b.bucket)?.count ?? 0) }));
  return { total: buckets.reduce((s, b) => s + b.count, 0), buckets, oldestOpenedAt: oldest === null ? null : new Date(oldest) };
}

/**
 * Count, mean and median (percentile_cont, as core's statsOf) of wall-clock and business-hours
 * durations in one scan: the business hours are the KPI facts the ticket-change pipeline keeps on
 * the row (counted in the SLA policy's calendar when the time was set), so no calendar is walked here.
 */
async function durationStatsSql(db: Db, wall: SQL, business: SQL, where: SQL): Promise<DurationKpi> {
  const [row] = rowsOf<Record<string, number | null>>(
    await db.execute(sql`SELECT count(*)::int AS count,
        avg(ms)::float8 AS mean, (percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::float8 AS median,
        count(bms)::int AS bcount,
        avg(bms)::float8 AS bmean, (percentile_cont(0.5) WITHIN GROUP (ORDER BY bms))::float8 AS bmedian
      FROM (SELECT greatest(0, extract(epoch FROM (${wall})) * 1000)::float8 AS ms, (${business})::float8 AS bms
        FROM tickets t WHERE ${where}) d`),
  );
  return {
    count: num(row.count),
    meanMs: numOrNull(row.mean),
    medianMs: numOrNull(row.median),
    business: { count: num(row.bcount), meanMs: numOrNull(row.bmean), medianMs: numOrNull(row.bmedian) },
  };
}

export function timeToResolveSql(db: Db, f: KpiFilter, period: KpiPeriod): Promise<DurationKpi> {
  return durationStatsSql(
    db,
    sql`t.resolved_at - t.opened_at`,
    sql`t.business_resolve_ms`,
    sql`${RESOLVED} AND ${inPeriod(sql`t.resolved_at`, period)} AND ${filterSql(f)}`,
  );
}

export function timeToAcknowledgeSql(db: Db, f: KpiFilter, period: KpiPeriod): Promise<DurationKpi> {
  return durationStatsSql(
    db,
    sql`t.first_response_at - t.opened_at`,
    sql`t.business_acknowledge_ms`,
    sql`${inPeriod(sql`t.first_response_at`, period)} AND ${filterSql(f)}`,
  );
}

/** The rates over tickets resolved in the period, in one scan of the ticket rows: FCR, reassigned, reopened. */
export async function resolvedRatesSql(
  db: Db,
  f: KpiFilter,
  period: KpiPeriod,
): Promise<{ fcr: RateKpi; reassigned: RateKpi; reopened: RateKpi }> {
  const [row] = rowsOf<Record<string, number>>(
    await db.execute(sql`SELECT count(*)::int AS total,
        count(*) FILTER (WHERE t.reassignment_count = 0 AND t.reopen_count = 0 AND t.staff_reply_count <= 1)::int AS fcr,
        count(*) FILTER (WHERE t.reassignment_count > 0)::int AS reassigned,
        count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened
      FROM tickets t
      WHERE ${RESOLVED} AND ${inPeriod(sql`t.resolved_at`, period)} AND ${filterSql(f)}`),
  );
  const total = num(row.total);
  return {
    fcr: rateFromCounts(total, num(row.fcr)),
    reassigned: rateFromCounts(total, num(row.reassigned)),
    reopened: rateFromCounts(total, num(row.reopened)),
  };
}

/**
 * SLA compliance over tickets resolved in the period: a plain aggregate of the breach flag the
 * ticket-change pipeline keeps on the row (set with the `sla_breached` note; never cleared).
 */
export async function slaComplianceSql(db: Db, f: KpiFilter, period: KpiPeriod): Promise<SlaKpi> {
  const [row] = rowsOf<Record<string, number>>(
    await db.execute(sql`SELECT count(*) FILTER (WHERE t.sla_breached)::int AS breached,
        count(*) FILTER (WHERE t.sla_policy_id IS NOT NULL AND NOT t.sla_breached)::int AS met
      FROM tickets t
      WHERE ${RESOLVED} AND ${inPeriod(sql`t.resolved_at`, period)} AND ${filterSql(f)}`),
  );
  return slaFromCounts(num(row.met), num(row.breached));
}

export async function satisfactionSql(db: Db, f: KpiFilter, period: KpiPeriod): Promise<SatisfactionKpi> {
  const rows = rowsOf<{ rating: number; count: number }>(
    await db.execute(sql`SELECT r.rating::int AS rating, count(*)::int AS count
      FROM satisfaction_ratings r JOIN tickets t ON t.id = r.ticket_id
      WHERE ${inPeriod(sql`r.answered_at`, period)} AND ${filterSql(f)} GROUP BY r.rating`),
  );
  const byRating = new Map(rows.map((r) => [num(r.rating), num(r.count)]));
  return satisfactionFromCounts((rating) => byRating.get(rating) ?? 0);
}

/** At most this many major incidents are listed (the count covers all). */
export const MAJOR_INCIDENT_LIST_LIMIT = 100;

export async function majorIncidentsSql(db: Db, f: KpiFilter, period: KpiPeriod): Promise<MajorIncidentsKpi> {
  const where = sql`t.kind = 'incident' AND ${inPeriod(sql`t.major_since`, period)} AND ${filterSql(f)}`;
  const ttr = sql`CASE WHEN ${RESOLVED} THEN (extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8 END`;
  const [summary] = rowsOf<{ count: number; resolved: number; mean: number | null }>(
    await db.execute(
      sql`SELECT count(*)::int AS count, count(${ttr})::int AS resolved, avg(${ttr})::float8 AS mean FROM tickets t WHERE ${where}`,
    ),
  );
  const rows = rowsOf<{
    id: string;
    number: string;
    title: string;
    priority: number;
    majorSince: number;
    resolvedAt: number | null;
    ttr: number | null;
  }>(
    await db.execute(sql`SELECT t.id, t.number, t.title, t.priority::int AS priority,
        (extract(epoch FROM t.major_since) * 1000)::float8 AS "majorSince",
        CASE WHEN ${RESOLVED} THEN (extract(epoch FROM t.resolved_at) * 1000)::float8 END AS "resolvedAt", ${ttr} AS ttr
      FROM tickets t WHERE ${where} ORDER BY t.major_since DESC, t.id LIMIT ${MAJOR_INCIDENT_LIST_LIMIT}`),
  );
  return {
    count: num(summary.count),
    resolved: num(summary.resolved),
    meanTimeToResolveMs: numOrNull(summary.mean),
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      priority: num(r.priority),
      majorSince: new Date(num(r.majorSince)),
      resolvedAt: r.resolvedAt === null ? null : new Date(num(r.resolvedAt)),
      timeToResolveMs: numOrNull(r.ttr),
    })),
  };
}
