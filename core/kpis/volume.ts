import { OPEN_STATES, type TicketState } from '../vocabulary.js';
import { isOpen, isResolved, type KpiPeriod, type KpiTicket, within } from './kpi-ticket.js';

export interface OpenWorkKpi {
  total: number;
  /** One cell per priority and open state that has tickets, priority first. */
  cells: { priority: number; state: TicketState; count: number }[];
}

/** Open work: tickets open now, by priority and state. */
export function openWork(tickets: readonly KpiTicket[]): OpenWorkKpi {
  const counts = new Map<string, number>();
  for (const t of tickets.filter(isOpen)) counts.set(`${t.priority}|${t.state}`, (counts.get(`${t.priority}|${t.state}`) ?? 0) + 1);
  const cells: OpenWorkKpi['cells'] = [];
  for (let priority = 1; priority <= 5; priority++) {
    for (const state of OPEN_STATES) {
      const count = counts.get(`${priority}|${state}`);
      if (count) cells.push({ priority, state, count });
    }
  }
  return { total: cells.reduce((sum, c) => sum + c.count, 0), cells };
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayOf(at: Date, timeZone: string): string {
  // Building a formatter costs far more than using one: one per time zone.
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Every day of the period, in order, in the time zone. */
export function daysOf(period: KpiPeriod, timeZone: string): string[] {
  const days: string[] = [];
  const last = dayOf(new Date(period.to.getTime() - 1), timeZone);
  // Steps of 6 hours never skip a local day, however the offsets move (DST).
  for (let at = period.from.getTime(); at < period.to.getTime(); at += 6 * 3_600_000) {
    const day = dayOf(new Date(at), timeZone);
    if (days[days.length - 1] !== day) days.push(day);
  }
  if (days[days.length - 1] !== last && period.to > period.from) days.push(last);
  return days;
}

export interface CreatedResolvedKpi {
  days: { day: string; created: number; resolved: number }[];
}

/** Created and resolved per day of the period (days in the given time zone). */
export function createdVsResolved(period: KpiPeriod, tickets: readonly KpiTicket[], timeZone: string): CreatedResolvedKpi {
  const rows = new Map(daysOf(period, timeZone).map((day) => [day, { day, created: 0, resolved: 0 }]));
  for (const t of tickets) {
    if (within(period, t.openedAt)) {
      const row = rows.get(dayOf(t.openedAt, timeZone));
      if (row) row.created++;
    }
    if (isResolved(t) && within(period, t.resolvedAt)) {
      const row = rows.get(dayOf(t.resolvedAt, timeZone));
      if (row) row.resolved++;
    }
  }
  return { days: [...rows.values()] };
}

/** Backlog age buckets: lower bound in days, inclusive. */
export const BACKLOG_BUCKETS = [
  { bucket: 'under_1_day', label: 'Under a day', fromDays: 0 },
  { bucket: '1_to_3_days', label: '1–3 days', fromDays: 1 },
  { bucket: '3_to_7_days', label: '3–7 days', fromDays: 3 },
  { bucket: '7_to_30_days', label: '7–30 days', fromDays: 7 },
  { bucket: 'over_30_days', label: 'Over 30 days', fromDays: 30 },
] as const;
export type BacklogBucket = (typeof BACKLOG_BUCKETS)[number]['bucket'];

export interface BacklogAgeKpi {
  total: number;
  buckets: { bucket: BacklogBucket; label: string; count: number }[];
  oldestOpenedAt: Date | null;
}

const DAY_MS = 86_400_000;

export function backlogBucketOf(ageMs: number): BacklogBucket {
  let found: BacklogBucket = 'under_1_day';
  for (const b of BACKLOG_BUCKETS) if (ageMs >= b.fromDays * DAY_MS) found = b.bucket;
  return found;
}

/** Backlog age: open tickets now, by how long ago they were opened. */
export function backlogAge(tickets: readonly KpiTicket[], now: Date): BacklogAgeKpi {
  const open = tickets.filter(isOpen);
  const counts = new Map<BacklogBucket, number>();
  for (const t of open) {
    const bucket = backlogBucketOf(now.getTime() - t.openedAt.getTime());
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const oldest = open.reduce<Date | null>((o, t) => (o === null || t.openedAt < o ? t.openedAt : o), null);
  return {
    total: open.length,
    buckets: BACKLOG_BUCKETS.map((b) => ({ bucket: b.bucket, label: b.label, count: counts.get(b.bucket) ?? 0 })),
    oldestOpenedAt: oldest,
  };
}
