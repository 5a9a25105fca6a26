import { type SQL, sql } from 'drizzle-orm';
import type { KpiFilter, KpiPeriod } from '../../../core/kpis/kpi-ticket.js';
import { type SatisfactionKpi, satisfactionFromCounts } from '../../../core/kpis/people.js';
import { type RateKpi, rateFromCounts, type SlaKpi, slaFromCounts } from '../../../core/kpis/rates.js';
import { localDaysAreUtcDays, splitByLocalDayQuarters, splitByUtcDays } from '../../../core/kpis/rollup-days.js';
import type { BacklogAgeKpi, CreatedResolvedKpi, OpenWorkKpi } from '../../../core/kpis/volume.js';
import { BACKLOG_BUCKETS, daysOf } from '../../../core/kpis/volume.js';
import type { TicketState } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { dailyRollups, quarterRollups } from './kpi-rollup-sources.js';
import { createdVsResolvedSql, filterSql, resolvedRatesSql, satisfactionSql, slaComplianceSql } from './kpis.repository.js';

/**
 * The KPIs that add up, read from the daily rollups (kept by triggers in every writer's
 * transaction; the narrowest that answers the filter, kpi-rollup-sources.ts): the whole UTC days of
 * the period come from the rollups, the hours before and after them from the ticket rows
 * (kpis.repository.ts, the same per-ticket SQL used when nothing is rolled up), so each figure is
 * exact. Medians are kpi-medians.repository.ts's.
 */
const num = (v: unknown): number => Number(v);
const DAY_MS = 86_400_000;

async function sumsOverDays(db: Db, f: KpiFilter, days: { from: string; to: string } | null, sums: SQL): Promise<Record<string, unknown>> {
  if (!days) return {};
  const rollups = dailyRollups(f);
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`SELECT ${sums} FROM ${rollups.table} t
      WHERE t.day >= ${days.from}::date AND t.day < ${days.to}::date AND ${rollups.where}`),
  );
  return row;
}

/** First-contact, reassignment and reopen rates over tickets resolved in the period. */
export async function resolvedRatesFromRollups(
  db: Db,
  f: KpiFilter,
  period: KpiPeriod,
): Promise<{ fcr: RateKpi; reassigned: RateKpi; reopened: RateKpi }> {
  const { days, edges } = splitByUtcDays(period);
  const rolled = await sumsOverDays(
    db,
    f,
    days,
    sql`sum(t.resolved) AS total, sum(t.first_contact) AS fcr, sum(t.reassigned) AS reassigned, sum(t.reopened) AS reopened`,
  );
  const parts = await Promise.all(edges.map((edge) => resolvedRatesSql(db, f, edge)));
  const add = (rolledCount: unknown, pick: (p: (typeof parts)[number]) => RateKpi) =>
    num(rolledCount ?? 0) + parts.reduce((s, p) => s + pick(p).count, 0);
  const total = num(rolled.total ?? 0) + parts.reduce((s, p) => s + p.fcr.total, 0);
  return {
    fcr: rateFromCounts(
      total,
      add(rolled.fcr, (p) => p.fcr),
    ),
    reassigned: rateFromCounts(
      total,
      add(rolled.reassigned, (p) => p.reassigned),
    ),
    reopened: rateFromCounts(
      total,
      add(rolled.reopened, (p) => p.reopened),
    ),
  };
}

export async function slaComplianceFromRollups(db: Db, f: KpiFilter, period: KpiPeriod): Promise<SlaKpi> {
  const { days, edges } = splitByUtcDays(period);
  const rolled = await sumsOverDays(db, f, days, sql`sum(t.sla_met) AS met, sum(t.sla_breached) AS breached`);
  const parts = await Promise.all(edges.map((edge) => slaComplianceSql(db, f, edge)));
  return slaFromCounts(
    num(rolled.met ?? 0) + parts.reduce((s, p) => s + p.count, 0),
    num(rolled.breached ?? 0) + parts.reduce((s, p) => s + p.breached, 0),
  );
}

export async function satisfactionFromRollups(db: Db, f: KpiFilter, period: KpiPeriod): Promise<SatisfactionKpi> {
  const { days, edges } = splitByUtcDays(period);
  const rolled = await sumsOverDays(
    db,
    f,
    days,
    sql`sum(t.rated_1) AS "1", sum(t.rated_2) AS "2", sum(t.rated_3) AS "3", sum(t.rated_4) AS "4", sum(t.rated_5) AS "5"`,
  );
  const parts = await Promise.all(edges.map((edge) => satisfactionSql(db, f, edge)));
  return satisfactionFromCounts(
    (rating) =>
      num(rolled[String(rating)] ?? 0) + parts.reduce((s, p) => s + (p.distribution.find((d) => d.rating === rating)?.count ?? 0), 0),
  );
}

/**
 * Created and resolved per day, when the report's days are UTC days (see localDaysAreUtcDays);
 * null otherwise: a local day straddles two UTC days, so the caller counts per ticket.
 */
export async function createdVsResolvedFromRollups(
  db: Db,
  f: KpiFilter,
  period: KpiPeriod,
  timeZone: string,
): Promise<CreatedResolvedKpi | null> {
  if (!localDaysAreUtcDays(period, timeZone)) return null;
  const { days, edges } = splitByUtcDays(period);
  const counts = new Map<string, { created: number; resolved: number }>();
  const count = (day: string, created: number, resolved: number) => {
    const c = counts.get(day) ?? { created: 0, resolved: 0 };
    counts.set(day, { created: c.created + created, resolved: c.resolved + resolved });
  };
  if (days) {
    const rollups = dailyRollups(f);
    const rows = rowsOf<{ day: string; created: number; resolved: number }>(
      await db.execute(sql`SELECT to_char(t.day, 'YYYY-MM-DD') AS day, sum(t.created)::int AS created, sum(t.resolved)::int AS resolved
        FROM ${rollups.table} t
        WHERE t.day >= ${days.from}::date AND t.day < ${days.to}::date AND ${rollups.where} GROUP BY t.day`),
    );
    for (const r of rows) count(r.day, num(r.created), num(r.resolved));
  }
  for (const edge of edges) for (const d of (await createdVsResolvedSql(db, f, edge, timeZone)).days) count(d.day, d.created, d.resolved);
  return { days: daysOf(period, timeZone).map((day) => ({ day, ...(counts.get(day) ?? { created: 0, resolved: 0 }) })) };
}

/**
 * Created and resolved per day in a time zone whose days are not UTC days, from the quarter-hour
 * rollups (migration 0071): each local day is the whole quarter hours of the one or two UTC days it
 * covers, a subtraction of running totals per row, and any rest of the period off the quarter hour
 * per ticket. Null when no quarter-hour rollup answers the filter (teams with a service or a
 * category) or the zone's days do not begin on quarter hours: then per ticket.
 */
export async function createdVsResolvedFromQuarters(
  db: Db,
  f: KpiFilter,
  period: KpiPeriod,
  timeZone: string,
): Promise<CreatedResolvedKpi | null> {
  const quarters = quarterRollups(f);
  if (!quarters) return null;
  const { spans, edges } = splitByLocalDayQuarters(period, timeZone);
  // More than the period's two ends off the quarter hour: a zone of old local mean times.
  if (edges.length > 2) return null;
  const counts = new Map<string, { created: number; resolved: number }>();
  const count = (day: string, created: number, resolved: number) => {
    const c = counts.get(day) ?? { created: 0, resolved: 0 };
    counts.set(day, { created: c.created + created, resolved: c.resolved + resolved });
  };
  const reads: Promise<void>[] = [];
  if (spans.length > 0) {
    const list = (values: (string | number)[]) => `{${values.join(',')}}`;
    reads.push(
      db
        .execute(sql`SELECT s.local_day AS day,
            sum(t.created_running[s.to_quarter + 1] - t.created_running[s.from_quarter + 1])::int AS created,
            sum(t.resolved_running[s.to_quarter + 1] - t.resolved_running[s.from_quarter + 1])::int AS resolved
          FROM unnest(${list(spans.map((s) => s.utcDay))}::date[], ${list(spans.map((s) => s.fromQuarter))}::int[],
                      ${list(spans.map((s) => s.toQuarter))}::int[], ${list(spans.map((s) => s.localDay))}::text[])
            AS s(day, from_quarter, to_quarter, local_day)
          JOIN ${quarters.table} t ON t.day = s.day
          -- The range lets the planner read the period's rows by the key's day, not the whole table.
          WHERE t.day >= ${spans[0].utcDay}::date AND t.day <= ${spans[spans.length - 1].utcDay}::date AND ${quarters.where}
          GROUP BY s.local_day`)
        .then((result) => {
          for (const r of rowsOf<{ day: string; created: unknown; resolved: unknown }>(result))
            count(r.day, num(r.created), num(r.resolved));
        }),
    );
  }
  for (const edge of edges)
    reads.push(
      createdVsResolvedSql(db, f, edge, timeZone).then((part) => {
        for (const d of part.days) count(d.day, d.created, d.resolved);
      }),
    );
  await Promise.all(reads);
  return { days: daysOf(period, timeZone).map((day) => ({ day, ...(counts.get(day) ?? { created: 0, resolved: 0 }) })) };
}

/** Open work now: the open tickets counted by state on the rollup rows of the days they were opened. */
export async function openWorkFromRollups(db: Db, f: KpiFilter): Promise<OpenWorkKpi> {
  const rollups = dailyRollups(f);
  const rows = rowsOf<Record<string, number>>(
    await db.execute(sql`SELECT t.priority::int AS priority, sum(t.open_new)::int AS new, sum(t.open_assigned)::int AS assigned,
        sum(t.open_in_progress)::int AS in_progress, sum(t.open_on_hold)::int AS on_hold
      FROM ${rollups.table} t WHERE ${OPEN_ROWS} AND ${rollups.where} GROUP BY t.priority`),
  );
  const states: TicketState[] = ['new', 'assigned', 'in_progress', 'on_hold'];
  const cells = rows
    .sort((a, b) => num(a.priority) - num(b.priority))
    .flatMap((r) => states.map((state) => ({ priority: num(r.priority), state, count: num(r[state]) })))
    .filter((c) => c.count > 0);
  return { total: cells.reduce((s, c) => s + c.count, 0), cells };
}

/** Rollup rows that hold open tickets (a partial index of migration 0058 finds them). */
const OPEN_ROWS = sql.raw('(t.open_new + t.open_assigned + t.open_in_progress + t.open_on_hold) > 0');
const OPEN_SUM = sql.raw('(t.open_new + t.open_assigned + t.open_in_progress + t.open_on_hold)');

/**
 * Backlog age now. Each bucket's lower bound is an instant (now − N days): the open tickets opened
 * at or before it are the rollups' whole days before its UTC day plus that day's tickets up to the
 * instant, counted per ticket. The oldest is looked for per ticket on the first day with open work.
 */
export async function backlogAgeFromRollups(db: Db, f: KpiFilter, now: Date): Promise<BacklogAgeKpi> {
  const bounds = BACKLOG_BUCKETS.slice(1).map((b) => {
    const at = new Date(now.getTime() - b.fromDays * DAY_MS);
    const dayStart = new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
    return { bucket: b.bucket, at, dayStart, day: dayStart.toISOString().slice(0, 10) };
  });
  const rollups = dailyRollups(f);
  const [rolled] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`SELECT coalesce(sum(${OPEN_SUM}), 0)::int AS total, to_char(min(t.day), 'YYYY-MM-DD') AS oldest_day,
        ${sql.join(
          bounds.map(
            (b, i) => sql`coalesce(sum(${OPEN_SUM}) FILTER (WHERE t.day < ${b.day}::date), 0)::int AS ${sql.identifier(`before_${i}`)}`,
          ),
          sql`, `,
        )}
      FROM ${rollups.table} t WHERE ${OPEN_ROWS} AND ${rollups.where}`),
  );
  const oldestDay = rolled.oldest_day === null ? null : new Date(`${rolled.oldest_day}T00:00:00Z`);
  const ranges = bounds.map(
    (b) => sql`(t.opened_at >= ${b.dayStart.toISOString()}::timestamptz AND t.opened_at <= ${b.at.toISOString()}::timestamptz)`,
  );
  const oldestRange = oldestDay
    ? sql`(t.opened_at >= ${oldestDay.toISOString()}::timestamptz AND t.opened_at < ${new Date(oldestDay.getTime() + DAY_MS).toISOString()}::timestamptz)`
    : sql`FALSE`;
  const [edge] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`SELECT ${sql.join(
      ranges.map((range, i) => sql`count(*) FILTER (WHERE ${range})::int AS ${sql.identifier(`edge_${i}`)}`),
      sql`, `,
    )}, (extract(epoch FROM min(t.opened_at) FILTER (WHERE ${oldestRange})) * 1000)::float8 AS oldest
      FROM tickets t
      WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold') AND (${sql.join([...ranges, oldestRange], sql` OR `)}) AND ${filterSql(f)}`),
  );
  const total = num(rolled.total);
  // Open tickets at least N days old, for each bucket after the first.
  const atLeast = bounds.map((_, i) => num(rolled[`before_${i}`]) + num(edge[`edge_${i}`]));
  const counts = [total - (atLeast[0] ?? 0), ...atLeast.map((n, i) => n - (atLeast[i + 1] ?? 0))];
  return {
    total,
    buckets: BACKLOG_BUCKETS.map((b, i) => ({ bucket: b.bucket, label: b.label, count: counts[i] })),
    oldestOpenedAt: edge.oldest === null || edge.oldest === undefined ? null : new Date(num(edge.oldest)),
  };
}
