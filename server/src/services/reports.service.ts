import { AppError, fieldError } from '../../../core/errors.js';
import { KPIS, type KpiId } from '../../../core/kpis/catalogue.js';
import type { KpiResults } from '../../../core/kpis/compute.js';
import type { KpiFilter, KpiPeriod } from '../../../core/kpis/kpi-ticket.js';
import { type Actor, isManager } from '../../../core/permissions.js';
import type { TicketKind } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { timeToAcknowledgeFromRollups, timeToResolveFromRollups } from '../repositories/kpi-medians.repository.js';
import {
  backlogAgeFromRollups,
  createdVsResolvedFromQuarters,
  createdVsResolvedFromRollups,
  openWorkFromRollups,
  resolvedRatesFromRollups,
  satisfactionFromRollups,
  slaComplianceFromRollups,
} from '../repositories/kpi-rollups.repository.js';
import {
  backlogAgeSql,
  createdVsResolvedSql,
  majorIncidentsSql,
  openWorkSql,
  resolvedRatesSql,
  satisfactionSql,
  slaComplianceSql,
  timeToAcknowledgeSql,
  timeToResolveSql,
} from '../repositories/kpis.repository.js';
import { listTeamIdsOfUser } from '../repositories/teams.repository.js';
import type { ServiceDeps } from './deps.js';
import { countPendingTicketsNow } from './kpi-rollup-drain.service.js';

export interface ReportRequest {
  from?: string;
  to?: string;
  teamId?: string[];
  serviceId?: string;
  categoryId?: string;
  priority?: number[];
  kind?: TicketKind[];
  timeZone?: string;
}

export interface KpiReportResult<K extends KpiId = KpiId> {
  kpi: K;
  label: string;
  definition: string;
  period: KpiPeriod;
  timeZone: string;
  teamIds: string[] | null;
  generatedAt: Date;
  result: KpiResults[K];
}

const DAY_MS = 86_400_000;
/** The default period, and the longest one (two years of days is what a per-day chart still shows). */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 731;

/**
 * Which teams' tickets the caller's reports cover: managers and admins any (all, or the teams they
 * name); an agent only the teams they belong to (all of them, or those they name among them).
 */
export async function reportScope(db: Db, actor: Actor, teamIds: string[] | undefined): Promise<string[] | null> {
  if (isManager(actor)) return teamIds?.length ? teamIds : null;
  const own = await listTeamIdsOfUser(db, actor.id);
  if (own.length === 0) throw new AppError('forbidden', 'Reports show the work of your own teams, and you are not a member of any team.');
  if (!teamIds?.length) return own;
  const foreign = teamIds.filter((id) => !own.includes(id));
  if (foreign.length > 0) throw new AppError('forbidden', 'You may see reports of your own teams only; ask a manager for the others.');
  return teamIds;
}

export function reportPeriod(now: Date, from?: string, to?: string): KpiPeriod {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) throw fieldError('validation_failed', 'from', 'must be before the end of the period (to)');
  if (end.getTime() - start.getTime() > MAX_DAYS * DAY_MS)
    throw fieldError('validation_failed', 'from', `the period may be at most ${MAX_DAYS} days long`);
  return { from: start, to: end };
}

export function reportTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw fieldError('validation_failed', 'timeZone', 'must be a time zone such as Europe/London or UTC');
  }
}

/** One KPI over the caller's tickets with the request's filters. */
export async function getKpiReport<K extends KpiId>(
  deps: ServiceDeps,
  actor: Actor,
  kpi: K,
  request: ReportRequest,
): Promise<KpiReportResult<K>> {
  const now = deps.clock.now();
  const period = reportPeriod(now, request.from, request.to);
  const timeZone = reportTimeZone(request.timeZone);
  const teamIds = await reportScope(deps.db, actor, request.teamId);
  const filter: KpiFilter = {
    teamIds,
    serviceId: request.serviceId,
    categoryId: request.categoryId,
    priority: request.priority,
    kind: request.kind,
  };
  // The rollups count new tickets after their creation commits: what is still listed is counted first.
  await countPendingTicketsNow(deps.db);
  // One snapshot for all of the report's statements: a drain or a creation committing between
  // them (a median asks whether anything is pending, then reads histograms, then tickets) can
  // then neither count a ticket twice nor leave it out.
  const result = (await deps.db.transaction((tx) => computeKpiSql(tx, kpi, filter, period, now, timeZone), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  })) as KpiResults[K];
  return { kpi, ...KPIS[kpi], period, timeZone, teamIds, generatedAt: now, result };
}

/**
 * Where the figures that add up are read from: `rollups` (the default) adds up the daily rollups
 * for the whole days of the period and reads the hours around them per ticket; `tickets` reads
 * every ticket (the reference the rollups are tested against, and the benchmark's baseline).
 */
export type KpiSource = 'rollups' | 'tickets';

/**
 * Every KPI in SQL: counts, sums and shares from the daily rollups (kept by triggers in each
 * writer's transaction, migration 0058), medians from the rollups' duration histograms and then
 * the tickets of the bucket holding the median (migration 0062, exact), and
 * created-vs-resolved from the quarter-hour rollups when the report's time zone has days other than
 * UTC days (migration 0071; per ticket when filtered by teams and a service or category). Without a
 * team filter each reads the rollups by slice (migration 0082; kpi-rollup-sources.ts).
 */
export async function computeKpiSql(
  db: Db,
  kpi: KpiId,
  filter: KpiFilter,
  period: KpiPeriod,
  now: Date,
  timeZone: string,
  source: KpiSource = 'rollups',
): Promise<KpiResults[KpiId]> {
  const rolled = source === 'rollups';
  const rates = () => (rolled ? resolvedRatesFromRollups(db, filter, period) : resolvedRatesSql(db, filter, period));
  switch (kpi) {
    case 'open-work':
      return rolled ? openWorkFromRollups(db, filter) : openWorkSql(db, filter);
    case 'created-vs-resolved':
      return (
        (rolled
          ? ((await createdVsResolvedFromRollups(db, filter, period, timeZone)) ??
            (await createdVsResolvedFromQuarters(db, filter, period, timeZone)))
          : null) ?? createdVsResolvedSql(db, filter, period, timeZone)
      );
    case 'backlog-age':
      return rolled ? backlogAgeFromRollups(db, filter, now) : backlogAgeSql(db, filter, now);
    case 'time-to-acknowledge':
      return rolled ? timeToAcknowledgeFromRollups(db, filter, period, now) : timeToAcknowledgeSql(db, filter, period);
    case 'time-to-resolve':
      return rolled ? timeToResolveFromRollups(db, filter, period, now) : timeToResolveSql(db, filter, period);
    case 'sla-compliance':
      return rolled ? slaComplianceFromRollups(db, filter, period) : slaComplianceSql(db, filter, period);
    case 'first-contact-resolution':
      return (await rates()).fcr;
    case 'reassignment-rate':
      return (await rates()).reassigned;
    case 'reopen-rate':
      return (await rates()).reopened;
    case 'satisfaction':
      return rolled ? satisfactionFromRollups(db, filter, period) : satisfactionSql(db, filter, period);
    case 'major-incidents':
      return majorIncidentsSql(db, filter, period);
  }
}
