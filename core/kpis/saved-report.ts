import type { TicketKind } from '../vocabulary.js';
import type { KpiId } from './catalogue.js';

/** How often a saved report is e-mailed. */
export const REPORT_SCHEDULES = ['weekly', 'monthly'] as const;
export type ReportSchedule = (typeof REPORT_SCHEDULES)[number];

export const REPORT_SCHEDULE_LABELS: Record<ReportSchedule, string> = { weekly: 'Every Monday', monthly: 'On the 1st of each month' };

/** The filters a saved report is read with: the dashboard's, with a rolling period instead of dates. */
export interface SavedReportFilters {
  /** The period ends when the report is read (or sent) and reaches this many days back. */
  periodDays: number;
  teamId?: string[];
  serviceId?: string;
  categoryId?: string;
  priority?: number[];
  kind?: TicketKind[];
  timeZone?: string;
}

export interface SavedReportDefinition {
  name: string;
  kpis: KpiId[];
  filters: SavedReportFilters;
  schedule: ReportSchedule | null;
  recipients: string[];
}

const DAY_MS = 86_400_000;

/**
 * The next instant a scheduled report is sent after `after`: 07:00 in the report's time zone on
 * the next Monday (weekly) or the next 1st of a month (monthly). Computed on local dates, so it
 * stays 07:00 across daylight-saving changes.
 */
export function nextSendAt(schedule: ReportSchedule, after: Date, timeZone: string): Date {
  const local = localParts(after, timeZone);
  // Candidate local dates from today on; the first one whose 07:00 is after `after` wins.
  for (let i = 0; i < 40; i++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + i));
    const matches = schedule === 'weekly' ? day.getUTCDay() === 1 : day.getUTCDate() === 1;
    if (!matches) continue;
    const at = zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 7, timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  // Unreachable for a valid schedule (a Monday within 8 days, a 1st within 32), kept total.
  return new Date(after.getTime() + 7 * DAY_MS);
}

/**
 * The period a report sent at `dueAt` covers: the `periodDays` whole local days before the day it
 * is sent (a Monday's weekly report: Monday to Sunday of the week before), in its time zone.
 */
export function periodBefore(dueAt: Date, periodDays: number, timeZone: string): { from: Date; to: Date } {
  const local = localParts(dueAt, timeZone);
  const first = new Date(Date.UTC(local.year, local.month - 1, local.day - periodDays));
  return {
    from: zonedTime(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate(), 0, timeZone),
    to: zonedTime(local.year, local.month, local.day, 0, timeZone),
  };
}

function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The instant of a local wall-clock hour in a time zone (the offset found by one correction step). */
function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  const seen = localParts(new Date(guess), timeZone);
  const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
  return new Date(guess - (seenUtc - guess));
}
