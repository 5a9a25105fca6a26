/**
 * The dashboard's filters, kept in the page's URL (so a view can be shared and the back button
 * works), turned into the reports API's query and into the desk queue a figure drills down to.
 */
import { KINDS_REPORTED_ONLY_BY_NAME } from '../../../../core/kpis/kpi-ticket';
import { TICKET_KINDS } from '../../../../core/vocabulary';

export const PERIODS = [
  { id: '7d', label: 'Last 7 days', days: 7 },
  { id: '30d', label: 'Last 30 days', days: 30 },
  { id: '90d', label: 'Last 90 days', days: 90 },
  { id: '12m', label: 'Last 12 months', days: 365 },
] as const;
export type PeriodId = (typeof PERIODS)[number]['id'];

export interface DashboardFilters {
  period: PeriodId;
  teamId: string;
  serviceId: string;
  categoryId: string;
  priority: string;
  kind: string;
}

export const FILTER_NAMES = ['period', 'teamId', 'serviceId', 'categoryId', 'priority', 'kind'] as const;

export function filtersFrom(search: URLSearchParams): DashboardFilters {
  const period = search.get('period');
  return {
    period: PERIODS.some((p) => p.id === period) ? (period as PeriodId) : '30d',
    teamId: search.get('teamId') ?? '',
    serviceId: search.get('serviceId') ?? '',
    categoryId: search.get('categoryId') ?? '',
    priority: search.get('priority') ?? '',
    kind: search.get('kind') ?? '',
  };
}

const HOUR = 3_600_000;

/**
 * The period as instants: it ends at the next full hour, so the query (and its cache key) stays
 * the same for an hour of looking, and every tile of one screen reports the same period.
 */
export function periodOf(id: PeriodId, now: number): { from: string; to: string } {
  const to = Math.ceil(now / HOUR) * HOUR;
  const days = PERIODS.find((p) => p.id === id)?.days ?? 30;
  return { from: new Date(to - days * 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
}

/** The reports API's query for these filters. */
export function reportQuery(f: DashboardFilters, now: number, timeZone: string): Record<string, string> {
  const { from, to } = periodOf(f.period, now);
  const q: Record<string, string> = { from, to, timeZone };
  for (const k of ['teamId', 'serviceId', 'categoryId', 'priority', 'kind'] as const) if (f[k]) q[k] = f[k];
  return q;
}

/** Which tickets a figure stands for, in the desk queue's own filters. */
export type Behind =
  | { open: true; priority?: number; state?: string; openedFrom?: string; openedBefore?: string }
  | { resolvedInPeriod: true; firstContact?: boolean; reassigned?: boolean; reopened?: boolean; slaBreached?: boolean }
  | { ratedInPeriod: true }
  | { openedInPeriod: true }
  | { acknowledgedInPeriod: true };

/** The desk queue listing the tickets behind a figure: the dashboard's filters plus the figure's own. */
export function drillDown(f: DashboardFilters, behind: Behind, now: number): string {
  const q = new URLSearchParams();
  for (const k of ['teamId', 'serviceId', 'categoryId'] as const) if (f[k]) q.set(k, f[k]);
  // Without a kind, the figures leave problems out (KINDS_REPORTED_ONLY_BY_NAME): so does the queue behind them.
  q.set('kind', f.kind || TICKET_KINDS.filter((k) => !KINDS_REPORTED_ONLY_BY_NAME.includes(k)).join(','));
  if (f.priority) q.set('priority', f.priority);
  const { from, to } = periodOf(f.period, now);
  if ('open' in behind) {
    q.set('state', behind.state ?? 'open');
    if (behind.priority) q.set('priority', String(behind.priority));
    if (behind.openedFrom) q.set('openedFrom', behind.openedFrom);
    if (behind.openedBefore) q.set('openedBefore', behind.openedBefore);
    q.set('sort', 'priority');
  } else if ('resolvedInPeriod' in behind) {
    q.set('state', 'resolved,closed');
    q.set('resolvedFrom', from);
    q.set('resolvedBefore', to);
    if (behind.firstContact !== undefined) q.set('firstContact', String(behind.firstContact));
    if (behind.reassigned) q.set('minReassignments', '1');
    if (behind.reopened) q.set('minReopens', '1');
    if (behind.slaBreached !== undefined) q.set('slaBreached', String(behind.slaBreached));
    q.set('sort', '-updatedAt');
  } else if ('ratedInPeriod' in behind) {
    q.set('rated', 'true');
    q.set('ratedFrom', from);
    q.set('ratedBefore', to);
    q.set('sort', '-updatedAt');
  } else if ('openedInPeriod' in behind) {
    q.set('openedFrom', from);
    q.set('openedBefore', to);
    q.set('sort', '-openedAt');
  } else {
    q.set('openedBefore', to);
    q.set('sort', '-openedAt');
  }
  return `/desk/queue/report?${q}`;
}
