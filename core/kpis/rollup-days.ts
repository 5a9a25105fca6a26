import type { KpiPeriod } from './kpi-ticket.js';

/**
 * How a report period is read from the daily rollups (kpi_daily_rollups, one row per UTC day):
 * the whole UTC days inside the period come from the rollups, and the parts before the first and
 * after the last whole day (the dashboard's periods end on the hour, not at midnight) are read per
 * ticket — less than a day each, so the figure stays exact for any period.
 */
export interface RollupSplit {
  /** The whole UTC days [from, to) as YYYY-MM-DD; null when the period holds no whole day. */
  days: { from: string; to: string } | null;
  /** The rest of the period, read per ticket: up to one part before and one after the whole days. */
  edges: KpiPeriod[];
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function splitByUtcDays(period: KpiPeriod): RollupSplit {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const first = Math.ceil(from / DAY_MS) * DAY_MS;
  const last = Math.floor(to / DAY_MS) * DAY_MS;
  if (first >= last) return { days: null, edges: from < to ? [period] : [] };
  const edges: KpiPeriod[] = [];
  if (from < first) edges.push({ from: period.from, to: new Date(first) });
  if (last < to) edges.push({ from: new Date(last), to: period.to });
  return { days: { from: utcDay(first), to: utcDay(last) }, edges };
}

/** The time zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(at: Date, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether the time zone's days are UTC days all through the period (UTC itself, or a zone at
 * offset 0 the whole time — London in winter), so a per-day series can be read from the UTC-day
 * rollups. Steps of 6 hours catch every offset in force (none lasts less).
 */
export function localDaysAreUtcDays(period: KpiPeriod, timeZone: string): boolean {
  for (let at = period.from.getTime(); at < period.to.getTime(); at += 6 * 3_600_000) {
    if (offsetMinutes(new Date(at), timeZone) !== 0) return false;
  }
  return offsetMinutes(new Date(Math.max(period.from.getTime(), period.to.getTime() - 1)), timeZone) === 0;
}

/**
 * The same by UTC months, for the duration histograms (kept per month): the whole months inside the
 * period as first days [from, to), and the rest of the period before and after them, read per ticket.
 */
export function splitByUtcMonths(period: KpiPeriod): RollupSplit {
  const from = period.from;
  const to = period.to;
  const monthStart = (d: Date, add: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
  const first = from.getTime() === monthStart(from, 0) ? from.getTime() : monthStart(from, 1);
  const last = monthStart(to, 0);
  if (first >= last) return { days: null, edges: from < to ? [period] : [] };
  const edges: KpiPeriod[] = [];
  if (from.getTime() < first) edges.push({ from, to: new Date(first) });
  if (last < to.getTime()) edges.push({ from: new Date(last), to });
  return { days: { from: utcDay(first), to: utcDay(last) }, edges };
}
