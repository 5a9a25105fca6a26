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

/**
 * How a median's histogram is read over a period (kpi-medians.repository.ts): the whole UTC months
 * inside it from the monthly histograms, and each month the period covers in part either per ticket
 * over the part inside (sign 1) or, when that is the costlier read, as the month's whole histogram
 * less the parts outside the period read per ticket (sign −1). The cost of a part is the time in it
 * up to `now` (no duration ends later, so the current month after the period's end costs nothing):
 * a dashboard's 12 months reads a week per ticket instead of a month, its 30 days a week instead of
 * thirty days. `months` is null when no month is read from the histograms (then per ticket).
 * `takeAway` false: months covered in part only per ticket over the part inside.
 */
export interface MonthPlan {
  months: { from: string; to: string } | null;
  parts: { period: KpiPeriod; sign: 1 | -1 }[];
}

export function planByUtcMonths(period: KpiPeriod, now: Date, takeAway = true): MonthPlan {
  const { days, edges } = splitByUtcMonths(period);
  let first = days ? Date.parse(`${days.from}T00:00:00Z`) : null;
  let last = days ? Date.parse(`${days.to}T00:00:00Z`) : null;
  const parts: MonthPlan['parts'] = [];
  const cost = (from: number, to: number) => Math.max(0, Math.min(to, now.getTime()) - from);
  // An edge lies in one month, except the whole period when it holds no whole month: cut it there.
  const inMonths = edges.flatMap((edge) => {
    const cut = Date.UTC(edge.from.getUTCFullYear(), edge.from.getUTCMonth() + 1, 1);
    return cut < edge.to.getTime()
      ? [
          { from: edge.from, to: new Date(cut) },
          { from: new Date(cut), to: edge.to },
        ]
      : [edge];
  });
  for (const edge of inMonths) {
    const at = edge.from;
    const monthStart = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
    const monthEnd = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    const outside = [
      { from: monthStart, to: edge.from.getTime() },
      { from: edge.to.getTime(), to: monthEnd },
    ].filter((p) => p.from < p.to);
    const outsideCost = outside.reduce((s, p) => s + cost(p.from, p.to), 0);
    if (takeAway && outsideCost < cost(edge.from.getTime(), edge.to.getTime())) {
      for (const p of outside) parts.push({ period: { from: new Date(p.from), to: new Date(p.to) }, sign: -1 });
      first = first === null ? monthStart : Math.min(first, monthStart);
      last = last === null ? monthEnd : Math.max(last, monthEnd);
    } else parts.push({ period: edge, sign: 1 });
  }
  return { months: first === null || last === null ? null : { from: utcDay(first), to: utcDay(last) }, parts };
}

/**
 * A local day's part that the quarter-hour rollups count (kpi_daily_quarter_rollups): the quarters
 * [fromQuarter, toQuarter) of one UTC day, 0 to 96.
 */
export interface QuarterSpan {
  localDay: string;
  utcDay: string;
  fromQuarter: number;
  toQuarter: number;
}

const QUARTER_MS = 900_000;

/** The instants inside the period at which the time zone's days begin, in order. */
function localDayStarts(period: KpiPeriod, timeZone: string): number[] {
  const starts: number[] = [];
  const to = period.to.getTime();
  let before = period.from.getTime();
  let beforeDay = localDay(before, timeZone);
  // Steps of 6 hours never skip a local day (no day is that short), as in volume.ts's daysOf.
  for (let at = Math.min(before + 6 * 3_600_000, to - 1); before < to - 1; at = Math.min(at + 6 * 3_600_000, to - 1)) {
    const day = localDay(at, timeZone);
    if (day !== beforeDay) starts.push(dayStartBetween(before, at, day, timeZone));
    before = at;
    beforeDay = day;
  }
  return starts;
}

/** The first instant of `day`, known to lie in (after, upTo]: from the offset in force, else by halving. */
function dayStartBetween(after: number, upTo: number, day: string, timeZone: string): number {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  for (const probe of [upTo, after]) {
    const at = midnight - offsetMinutes(new Date(probe), timeZone) * 60_000;
    if (at > after && at <= upTo && localDay(at, timeZone) === day && localDay(at - 1, timeZone) !== day) return at;
  }
  // A day that does not begin at its midnight (a DST change at 00:00): the first millisecond of it.
  let low = after;
  let high = upTo;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localDay(mid, timeZone) === day) high = mid;
    else low = mid;
  }
  return high;
}

const localDay = (ms: number, timeZone: string) => {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(ms));
};
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * How a per-day series in any time zone is read from the quarter-hour rollups, exactly: each local
 * day of the period (cut to the period) is the whole quarter hours it covers, split by UTC day, plus
 * what lies outside whole quarters (only where the period does not start or end on a quarter hour,
 * or a day begins off the quarter, as in old local mean times), read per ticket.
 */
export function splitByLocalDayQuarters(period: KpiPeriod, timeZone: string): { spans: QuarterSpan[]; edges: KpiPeriod[] } {
  const spans: QuarterSpan[] = [];
  const edges: KpiPeriod[] = [];
  const bounds = [period.from.getTime(), ...localDayStarts(period, timeZone), period.to.getTime()];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    if (start >= end) continue;
    const from = Math.ceil(start / QUARTER_MS) * QUARTER_MS;
    const to = Math.floor(end / QUARTER_MS) * QUARTER_MS;
    if (from >= to) {
      edges.push({ from: new Date(start), to: new Date(end) });
      continue;
    }
    if (start < from) edges.push({ from: new Date(start), to: new Date(from) });
    if (to < end) edges.push({ from: new Date(to), to: new Date(end) });
    const day = localDay(start, timeZone);
    for (let dayStart = Math.floor(from / DAY_MS) * DAY_MS; dayStart < to; dayStart += DAY_MS) {
      const a = Math.max(from, dayStart);
      const b = Math.min(to, dayStart + DAY_MS);
      spans.push({
        localDay: day,
        utcDay: utcDay(dayStart),
        fromQuarter: (a - dayStart) / QUARTER_MS,
        toQuarter: (b - dayStart) / QUARTER_MS,
      });
    }
  }
  return { spans, edges };
}
