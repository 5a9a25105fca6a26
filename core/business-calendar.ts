import { DateTime } from 'luxon';

/**
 * Business time: SLA clocks count only working hours of a calendar (DESIGN.md §1, "SLA").
 * A calendar is working hours per weekday in an IANA time zone, plus holidays. Working hours are
 * local wall-clock times, so 09:00–17:00 in Europe/Berlin stays 09:00–17:00 across daylight-saving
 * changes; an hour that does not exist locally (the spring gap) is simply not worked.
 *
 * Everything here is pure: instants in, instants or milliseconds out.
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes after local midnight: [540, 1020] is 09:00–17:00. `end` may be 1440 (midnight). */
export interface WorkingInterval {
  start: number;
  end: number;
}

export interface BusinessCalendar {
  timeZone: string;
  /** Working intervals per weekday, sorted and non-overlapping; an empty list is a day off. */
  week: Record<Weekday, WorkingInterval[]>;
  /** Local dates (YYYY-MM-DD) that are not worked, whatever the weekday. */
  holidays: string[];
}

/** Round the clock, every day: what "24×7" SLAs use. */
export function alwaysOpenCalendar(timeZone = 'UTC'): BusinessCalendar {
  const allDay = [{ start: 0, end: 1440 }];
  return { timeZone, week: Object.fromEntries(WEEKDAYS.map((d) => [d, allDay])) as BusinessCalendar['week'], holidays: [] };
}

/** Monday to Friday with the same working intervals each day: the usual office calendar. */
export function weekdayCalendar(timeZone: string, hours: WorkingInterval[], holidays: string[] = []): BusinessCalendar {
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, d === 'saturday' || d === 'sunday' ? [] : hours]));
  return { timeZone, week: week as BusinessCalendar['week'], holidays };
}

/** Problems with a calendar, in words an admin can act on; empty when it is usable. */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!DateTime.now().setZone(calendar.timeZone).isValid) problems.push(`${calendar.timeZone} is not an IANA time zone`);
  let anyWork = false;
  for (const day of WEEKDAYS) {
    let previousEnd = -1;
    for (const { start, end } of calendar.week[day] ?? []) {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 1440 || start >= end) {
        problems.push(`${day}: ${formatMinutes(start)}–${formatMinutes(end)} is not a valid interval`);
      } else if (start < previousEnd) {
        problems.push(`${day}: intervals overlap or are out of order at ${formatMinutes(start)}`);
      }
      previousEnd = end;
      anyWork = true;
    }
  }
  if (!anyWork) problems.push('the calendar has no working hours at all');
  for (const holiday of calendar.holidays) {
    if (!DateTime.fromISO(holiday, { zone: calendar.timeZone }).isValid) problems.push(`holiday ${holiday} is not a date (YYYY-MM-DD)`);
  }
  return problems;
}

function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Days are handled as civil day numbers (days since 1970-01-01 of the local date), so walking
 * from one day to the next is integer arithmetic; time-zone arithmetic, the costly part, runs
 * once per calendar and day and is remembered (SLA clocks ask about the same days again and again).
 */
const DAY_MS = 86_400_000;
const periodCache = new WeakMap<BusinessCalendar, Map<number, [number, number][]>>();
const MAX_CACHED_DAYS = 4000;

/**
 * The local date through one cached Intl formatter per time zone (en-CA writes YYYY-MM-DD): six
 * times faster than a luxon DateTime per call, which mattered once reports walk the calendar for
 * thousands of tickets at a time (bench/kpis.ts).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function localDayNumber(calendar: BusinessCalendar, ms: number): number {
  let format = dateFormats.get(calendar.timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(calendar.timeZone, format);
  }
  return Math.floor(Date.parse(`${format.format(ms)}T00:00:00Z`) / DAY_MS);
}

function workingPeriodsOfDay(calendar: BusinessCalendar, dayNumber: number): [number, number][] {
  let days = periodCache.get(calendar);
  if (!days) {
    days = new Map();
    periodCache.set(calendar, days);
  }
  let periods = days.get(dayNumber);
  if (!periods) {
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    periods = computeWorkingPeriods(calendar, dayNumber);
    days.set(dayNumber, periods);
  }
  return periods;
}

/** Working periods of one local day as instants [start, end) in ms; DST gaps fall out naturally. */
function computeWorkingPeriods(calendar: BusinessCalendar, dayNumber: number): [number, number][] {
  const civil = new Date(dayNumber * DAY_MS);
  const date = civil.toISOString().slice(0, 10);
  if (calendar.holidays.includes(date)) return [];
  // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
  const intervals = calendar.week[WEEKDAYS[(civil.getUTCDay() + 6) % 7]] ?? [];
  const midnight = DateTime.fromObject(
    { year: civil.getUTCFullYear(), month: civil.getUTCMonth() + 1, day: civil.getUTCDate() },
    { zone: calendar.timeZone },
  ).startOf('day');
  const periods: [number, number][] = [];
  for (const { start, end } of intervals) {
    const from = localInstant(midnight, start);
    const to = end === 1440 ? midnight.plus({ days: 1 }).startOf('day').toMillis() : localInstant(midnight, end);
    if (to > from) periods.push([from, to]);
  }
  return periods;
}

/**
 * The instant of a local wall-clock time. In the spring gap (02:30 does not exist in Berlin on
 * the last Sunday of March) the time moves to the first instant after the gap; in the autumn
 * overlap (02:30 happens twice) the first one is taken.
 */
function localInstant(midnight: DateTime, minutes: number): number {
  const wall = midnight.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  return wall.toMillis();
}

/** How far ahead we look for working time before deciding a calendar never opens. */
const MAX_DAYS = 3 * 366;

/** Business time in ms between two instants (0 when `to` is not after `from`). */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  let total = 0;
  const lastDay = localDayNumber(calendar, end);
  for (let day = localDayNumber(calendar, start); day <= lastDay; day++) {
    for (const [a, b] of workingPeriodsOfDay(calendar, day)) {
      const overlap = Math.min(b, end) - Math.max(a, start);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * The instant at which `amountMs` of business time has elapsed after `from`. With an amount of
 * zero it is `from` itself. Throws when the calendar never opens (no working time in 3 years).
 */
export function addBusinessTime(calendar: BusinessCalendar, from: Date, amountMs: number): Date {
  if (amountMs < 0) throw new RangeError('amountMs must not be negative');
  if (amountMs === 0) return new Date(from.getTime());
  const start = from.getTime();
  let remaining = amountMs;
  const firstDay = localDayNumber(calendar, start);
  for (let day = firstDay; day < firstDay + MAX_DAYS; day++) {
    for (const [a, b] of workingPeriodsOfDay(calendar, day)) {
      const usableFrom = Math.max(a, start);
      if (b <= usableFrom) continue;
      const available = b - usableFrom;
      if (available >= remaining) return new Date(usableFrom + remaining);
      remaining -= available;
    }
  }
  throw new RangeError('the calendar has no working time in the next three years');
}

/** Whether an instant falls inside working hours. */
export function isWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  return workingPeriodsOfDay(calendar, localDayNumber(calendar, t)).some(([a, b]) => t >= a && t < b);
}
