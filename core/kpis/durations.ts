import type { BusinessCalendar } from '../business-calendar.js';
import { type KpiPeriod, type KpiTicket, resolvedIn, within } from './kpi-ticket.js';
import { businessDurationMs } from './ticket-kpi-facts.js';

export interface DurationStats {
  count: number;
  /** Null when nothing was counted. */
  meanMs: number | null;
  medianMs: number | null;
}

export interface DurationKpi extends DurationStats {
  /** The same, counted in the business hours of each ticket's SLA calendar (wall-clock without one). */
  business: DurationStats;
}

/** Mean and median (the mean of the two middle values for an even count, as SQL's percentile_cont(0.5)). */
export function statsOf(values: readonly number[]): DurationStats {
  if (values.length === 0) return { count: 0, meanMs: null, medianMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { count: values.length, meanMs: sorted.reduce((sum, v) => sum + v, 0) / values.length, medianMs };
}

/** Which calendar a ticket's business time is counted in; null counts round the clock. */
export type CalendarOf = (t: Pick<KpiTicket, 'slaPolicyId'>) => BusinessCalendar | null;

function durationKpi(pairs: { ticket: KpiTicket; from: Date; to: Date }[], calendarOf: CalendarOf): DurationKpi {
  const wall = pairs.map((p) => Math.max(0, p.to.getTime() - p.from.getTime()));
  const business = pairs.map((p) => {
    return businessDurationMs(calendarOf(p.ticket), p.from, p.to);
  });
  return { ...statsOf(wall), business: statsOf(business) };
}

/** Time to resolve: resolved − opened, over tickets resolved in the period. */
export function timeToResolve(period: KpiPeriod, tickets: readonly KpiTicket[], calendarOf: CalendarOf): DurationKpi {
  return durationKpi(
    resolvedIn(period, tickets).map((t) => ({ ticket: t, from: t.openedAt, to: t.resolvedAt as Date })),
    calendarOf,
  );
}

/** Time to acknowledge: first staff response − opened, over tickets first answered in the period. */
export function timeToAcknowledge(period: KpiPeriod, tickets: readonly KpiTicket[], calendarOf: CalendarOf): DurationKpi {
  return durationKpi(
    tickets.filter((t) => within(period, t.firstResponseAt)).map((t) => ({ ticket: t, from: t.openedAt, to: t.firstResponseAt as Date })),
    calendarOf,
  );
}
