import { type SQL, sql } from 'drizzle-orm';
import { medianFromWindow, medianWindow } from '../../../core/kpis/duration-buckets.js';
import type { DurationKpi, DurationStats } from '../../../core/kpis/durations.js';
import type { KpiFilter, KpiPeriod } from '../../../core/kpis/kpi-ticket.js';
import { type MonthPlan, planByUtcMonths } from '../../../core/kpis/rollup-days.js';
import { type Db, rowsOf } from '../db/client.js';
import { hasPendingRollups } from './kpi-pending.repository.js';
import { durationHistograms } from './kpi-rollup-sources.js';
import { filterSql, timeToAcknowledgeSql, timeToResolveSql } from './kpis.repository.js';

/**
 * Time to acknowledge and to resolve from the duration histograms (migration 0062), exact: counts,
 * sums and histograms by bucket of the UTC months the period covers, and per ticket what makes them
 * the period's (planByUtcMonths: a month covered in part is its part inside, or the whole month less
 * the part outside, whichever reads fewer tickets). The histogram names the bucket(s) holding the
 * middle ticket(s); only those tickets are then read, in order, through an index by bucket, to take
 * the median exactly as core's statsOf (percentile_cont).
 */
interface Duration {
  /** The histograms' names for the wall-clock and business times. */
  wall: { histogram: 'acknowledge' | 'resolve' };
  business: { histogram: 'business_acknowledge' | 'business_resolve' };
  /** Per ticket: the instant the duration ended, which tickets count, and the durations. */
  endedAt: SQL;
  counted: SQL;
  wallMs: SQL;
  businessMs: SQL;
  /** The same KPI read per ticket (kpis.repository.ts). */
  perTicket: (db: Db, f: KpiFilter, period: KpiPeriod) => Promise<DurationKpi>;
}

const ACKNOWLEDGE: Duration = {
  wall: { histogram: 'acknowledge' },
  business: { histogram: 'business_acknowledge' },
  endedAt: sql`t.first_response_at`,
  counted: sql`t.first_response_at IS NOT NULL`,
  // The same expressions as migration 0062's indexes, so the reads below use them.
  wallMs: sql`greatest(0, extract(epoch FROM t.first_response_at - t.opened_at) * 1000)::float8`,
  businessMs: sql`t.business_acknowledge_ms::float8`,
  perTicket: timeToAcknowledgeSql,
};

const RESOLVE: Duration = {
  wall: { histogram: 'resolve' },
  business: { histogram: 'business_resolve' },
  endedAt: sql`t.resolved_at`,
  counted: sql`t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL`,
  wallMs: sql`greatest(0, extract(epoch FROM t.resolved_at - t.opened_at) * 1000)::float8`,
  businessMs: sql`t.business_resolve_ms::float8`,
  perTicket: timeToResolveSql,
};

const num = (v: unknown): number => Number(v ?? 0);
const inPeriod = (column: SQL, p: KpiPeriod) =>
  sql`${column} >= ${p.from.toISOString()}::timestamptz AND ${column} < ${p.to.toISOString()}::timestamptz`;

/** Count, sum and histogram of one duration over the period. */
interface Tally {
  count: number;
  sum: number;
  histogram: Map<number, number>;
}

async function tally(db: Db, f: KpiFilter, plan: MonthPlan, d: Duration): Promise<{ wall: Tally; business: Tally }> {
  const { months, parts } = plan;
  const empty = (): Tally => ({ count: 0, sum: 0, histogram: new Map() });
  const wall = empty();
  const business = empty();
  const add = (into: Tally, bucket: number, count: number) => into.histogram.set(bucket, (into.histogram.get(bucket) ?? 0) + count);
  // The months' histograms and the parts read per ticket (added or taken away), side by side.
  const reads: Promise<void>[] = [];
  if (months) {
    // The narrowest histograms that answer the filter (kpi-rollup-sources.ts).
    const histograms = durationHistograms(f);
    reads.push(
      db
        .execute(sql`SELECT t.duration::text AS duration, t.bucket::int AS bucket, sum(t.count)::int AS count, sum(t.total_ms) AS sum
          FROM ${histograms.table} t
          WHERE t.duration IN (${d.wall.histogram}, ${d.business.histogram})
            AND t.month >= ${months.from}::date AND t.month < ${months.to}::date AND ${histograms.where}
          GROUP BY t.duration, t.bucket`)
        .then((result) => {
          for (const r of rowsOf<{ duration: string; bucket: number; count: unknown; sum: unknown }>(result)) {
            const into = r.duration === d.wall.histogram ? wall : business;
            into.count += num(r.count);
            into.sum += num(r.sum);
            add(into, num(r.bucket), num(r.count));
          }
        }),
    );
  }
  for (const { period: part, sign } of parts) {
    reads.push(
      db
        .execute(sql`SELECT kpi_duration_bucket(${d.wallMs})::int AS wall, kpi_duration_bucket(${d.businessMs})::int AS business,
            count(*) AS count, sum(${d.wallMs}) AS sum, sum(${d.businessMs}) AS bsum
          FROM tickets t WHERE ${d.counted} AND ${inPeriod(d.endedAt, part)} AND ${filterSql(f)}
          GROUP BY 1, 2`)
        .then((result) => {
          for (const r of rowsOf<{ wall: number | null; business: number | null; count: unknown; sum: unknown; bsum: unknown }>(result)) {
            wall.count += sign * num(r.count);
            wall.sum += sign * num(r.sum);
            add(wall, num(r.wall), sign * num(r.count));
            if (r.business === null) continue;
            business.count += sign * num(r.count);
            business.sum += sign * num(r.bsum);
            add(business, num(r.business), sign * num(r.count));
          }
        }),
    );
  }
  await Promise.all(reads);
  return { wall, business };
}

/** The median: the histogram's window, read per ticket over the whole period in that bucket range only. */
async function statsOfTally(db: Db, f: KpiFilter, period: KpiPeriod, d: Duration, t: Tally, ms: SQL): Promise<DurationStats> {
  const window = medianWindow(t.histogram);
  if (!window || t.count === 0) return { count: 0, meanMs: null, medianMs: null };
  const values = rowsOf<{ ms: number }>(
    await db.execute(sql`SELECT ${ms} AS ms FROM tickets t
      WHERE kpi_duration_bucket(${ms}) BETWEEN ${window.fromBucket} AND ${window.toBucket} AND ${ms} IS NOT NULL
        AND ${d.counted} AND ${inPeriod(d.endedAt, period)} AND ${filterSql(f)}
      ORDER BY 1 OFFSET ${window.skip} LIMIT ${window.take}`),
  ).map((r) => num(r.ms));
  return { count: t.count, meanMs: t.sum / t.count, medianMs: medianFromWindow(values) };
}

async function durationFromRollups(db: Db, f: KpiFilter, period: KpiPeriod, now: Date, d: Duration): Promise<DurationKpi> {
  // A month's histogram less its tickets outside the period only while no ticket waits to be
  // counted (migration 0074; reports drain just before, so mostly): a listed ticket is in no
  // histogram, and taking it away would leave its bucket short.
  const plan = planByUtcMonths(period, now, !(await hasPendingRollups(db)));
  // No month worth reading from the histograms (a few days): one per-ticket percentile costs less
  // than bucketing every ticket and then reading the median's bucket.
  if (!plan.months) return d.perTicket(db, f, period);
  const { wall, business } = await tally(db, f, plan, d);
  const [w, b] = await Promise.all([
    statsOfTally(db, f, period, d, wall, d.wallMs),
    statsOfTally(db, f, period, d, business, d.businessMs),
  ]);
  return { ...w, business: b };
}

/** `now` only chooses what is cheaper to read (nothing has ended after it), never the result. */
export const timeToAcknowledgeFromRollups = (db: Db, f: KpiFilter, period: KpiPeriod, now: Date) =>
  durationFromRollups(db, f, period, now, ACKNOWLEDGE);
export const timeToResolveFromRollups = (db: Db, f: KpiFilter, period: KpiPeriod, now: Date) =>
  durationFromRollups(db, f, period, now, RESOLVE);
