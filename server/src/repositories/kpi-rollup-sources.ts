import { type SQL, sql } from 'drizzle-orm';
import type { KpiFilter } from '../../../core/kpis/kpi-ticket.js';
import { filterSql } from './kpis.repository.js';

/**
 * Which rollup answers a report's filter, the narrowest first (issue 16, the dashboard at a million
 * tickets). Every team (a manager's default) without a service and a category both: the small
 * rollups by slice (migration 0082: the whole desk, one service or one category, by priority and
 * kind). With teams: the rollups by team (0058, 0062, 0071), or by every dimension when the report
 * also filters by service or category (no quarter-hour totals there: per ticket). Each source is a
 * table aliased `t` and the condition that selects the filter's rows in it.
 */
export interface RollupSource {
  table: SQL;
  where: SQL;
}

type Slice = { dimension: 'desk' | 'service' | 'category'; id: string | null };

/** The slice of the small rollups that holds exactly the filter's tickets, if one does. */
function sliceOf(f: KpiFilter): Slice | null {
  if (f.teamIds !== null) return null;
  if (f.serviceId && f.categoryId) return null;
  if (f.serviceId) return { dimension: 'service', id: f.serviceId };
  if (f.categoryId) return { dimension: 'category', id: f.categoryId };
  return { dimension: 'desk', id: null };
}

/** The slice's rows, with the filter's priorities and kinds (filterSql on the columns they share). */
function sliceWhere(s: Slice, f: KpiFilter): SQL {
  const id = s.id === null ? sql`t.dimension_id IS NULL` : sql`t.dimension_id = ${s.id}::uuid`;
  return sql`t.dimension = ${s.dimension}::kpi_dimension AND ${id} AND ${filterSql({ teamIds: null, priority: f.priority, kind: f.kind })}`;
}

function pick(f: KpiFilter, small: string, byTeam: string, byEvery: string): RollupSource {
  const s = sliceOf(f);
  if (s) return { table: sql.raw(small), where: sliceWhere(s, f) };
  return { table: sql.raw(f.serviceId || f.categoryId ? byEvery : byTeam), where: filterSql(f) };
}

/** The daily rollups (created, open, durations' sums, rates, ratings per UTC day). */
export const dailyRollups = (f: KpiFilter): RollupSource =>
  pick(f, 'kpi_daily_dimension_rollups', 'kpi_daily_team_rollups', 'kpi_daily_rollups');

/** The monthly duration histograms of the medians. */
export const durationHistograms = (f: KpiFilter): RollupSource =>
  pick(f, 'kpi_monthly_dimension_duration_buckets', 'kpi_monthly_team_duration_buckets', 'kpi_monthly_duration_buckets');

/** The quarter-hour running totals; null when teams and a service or category are asked together (then per ticket). */
export function quarterRollups(f: KpiFilter): RollupSource | null {
  const s = sliceOf(f);
  if (s) return { table: sql.raw('kpi_daily_dimension_quarter_rollups'), where: sliceWhere(s, f) };
  if (f.serviceId || f.categoryId) return null;
  return { table: sql.raw('kpi_daily_quarter_rollups'), where: filterSql(f) };
}
