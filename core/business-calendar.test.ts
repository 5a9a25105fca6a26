import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  alwaysOpenCalendar,
  type BusinessCalendar,
  businessTimeBetween,
  isWorkingTime,
  validateCalendar,
  WEEKDAYS,
  weekdayCalendar,
} from './business-calendar.js';

const HOUR = 3_600_000;
const nineToFive = [{ start: 9 * 60, end: 17 * 60 }];

const berlinOffice = weekdayCalendar('Europe/Berlin', nineToFive, ['2026-12-25', '2026-12-26', '2027-01-01', '2026-10-03']);

const split = [
  { start: 8 * 60, end: 12 * 60 },
  { start: 13 * 60, end: 18 * 60 },
];
const newYorkDesk: BusinessCalendar = {
  timeZone: 'America/New_York',
  week: {
    monday: split,
    tuesday: split,
    wednesday: split,
    thursday: split,
    friday: split,
    saturday: [{ start: 10 * 60, end: 14 * 60 }],
    sunday: [],
  },
  holidays: ['2026-11-26', '2026-12-25'],
};

// Working through the night across the DST change hours, to exercise gaps and overlaps.
const nightShift: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      [
        { start: 0, end: 4 * 60 },
        { start: 22 * 60, end: 1440 },
      ],
    ]),
  ) as BusinessCalendar['week'],
  holidays: [],
};

const calendars = [berlinOffice, newYorkDesk, nightShift, alwaysOpenCalendar('Europe/Berlin'), alwaysOpenCalendar('UTC')];
const anyCalendar = fc.constantFrom(...calendars);
// Instants across 2026–2027, which include every DST change in Europe and the US of those years.
const anyInstant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(ms));
const anyAmount = fc.integer({ min: 0, max: 10 * 24 * HOUR });

describe('business time', () => {
  it('adding N business ms then measuring gives back N', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyAmount, (calendar, from, amount) => {
        const due = addBusinessTime(calendar, from, amount);
        expect(businessTimeBetween(calendar, from, due)).toBe(amount);
      }),
      { numRuns: 1500 },
    );
  });

  it('never ends outside working hours', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, fc.integer({ min: 1, max: 10 * 24 * HOUR }), (calendar, from, amount) => {
        const due = addBusinessTime(calendar, from, amount);
        // The last millisecond counted is working time.
        expect(isWorkingTime(calendar, new Date(due.getTime() - 1))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('adds up: time from a to b plus b to c is time from a to c, and never exceeds wall-clock time', () => {
    fc.assert(
      // Spans of up to six weeks: the lifetimes SLA clocks measure.
      fc.property(
        anyCalendar,
        anyInstant,
        fc.array(fc.integer({ min: 0, max: 42 * 24 * HOUR }), { minLength: 2, maxLength: 2 }),
        (calendar, a, offsets) => {
          const [b, c] = offsets.sort((x, y) => x - y).map((o) => new Date(a.getTime() + o));
          const ab = businessTimeBetween(calendar, a, b);
          const bc = businessTimeBetween(calendar, b, c);
          expect(ab + bc).toBe(businessTimeBetween(calendar, a, c));
          expect(ab).toBeLessThanOrEqual(b.getTime() - a.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('carries a Friday-afternoon deadline over the weekend', () => {
    // Fri 2026-03-06 16:00 Berlin (15:00Z) + 2 business hours → Mon 10:00 Berlin (09:00Z).
    expect(addBusinessTime(berlinOffice, new Date('2026-03-06T15:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('skips holidays', () => {
    // Thu 2026-12-24 16:00 Berlin + 4h: Christmas and Boxing Day, then the weekend → Mon 28th 12:00.
    expect(addBusinessTime(berlinOffice, new Date('2026-12-24T15:00:00Z'), 4 * HOUR).toISOString()).toBe('2026-12-28T11:00:00.000Z');
  });

  it('keeps local office hours across the spring and autumn changes in Berlin', () => {
    // Before the change 09:00 Berlin is 08:00Z; after it, 07:00Z.
    expect(addBusinessTime(berlinOffice, new Date('2026-03-27T15:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(addBusinessTime(berlinOffice, new Date('2026-10-23T14:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts the short and the long day in a round-the-clock Berlin calendar', () => {
    const always = alwaysOpenCalendar('Europe/Berlin');
    // Sunday 29 March 2026 has 23 hours in Berlin; Sunday 25 October has 25.
    expect(businessTimeBetween(always, new Date('2026-03-28T23:00:00Z'), new Date('2026-03-29T22:00:00Z'))).toBe(23 * HOUR);
    expect(businessTimeBetween(always, new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T23:00:00Z'))).toBe(25 * HOUR);
  });

  it('does not work the hour that does not exist, and works the repeated hour twice', () => {
    // The night shift works 00:00–04:00 local. On 29 March 02:00–03:00 does not exist: 3 hours.
    // On 25 October 02:00–03:00 happens twice: 5 hours.
    const spring = businessTimeBetween(nightShift, new Date('2026-03-28T23:00:00Z'), new Date('2026-03-29T06:00:00Z'));
    const autumn = businessTimeBetween(nightShift, new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T06:00:00Z'));
    expect(spring).toBe(3 * HOUR);
    expect(autumn).toBe(5 * HOUR);
  });

  it("follows New York's own change dates and its lunch break", () => {
    // Fri 2026-03-06 17:00 New York (22:00Z, EST) + 3h: 1h Friday, Saturday 10:00–12:00 EST (15:00–17:00Z).
    expect(addBusinessTime(newYorkDesk, new Date('2026-03-06T22:00:00Z'), 3 * HOUR).toISOString()).toBe('2026-03-07T17:00:00.000Z');
    // After the 8 March change, Monday 08:00 EDT is 12:00Z; a 5-hour job started then ends at 14:00 EDT after lunch.
    expect(addBusinessTime(newYorkDesk, new Date('2026-03-09T12:00:00Z'), 5 * HOUR).toISOString()).toBe('2026-03-09T18:00:00.000Z');
  });

  it('explains what is wrong with a calendar', () => {
    const broken: BusinessCalendar = {
      timeZone: 'Mars/Olympus',
      week: { ...berlinOffice.week, monday: [{ start: 600, end: 540 }] },
      holidays: ['2026-13-01'],
    };
    expect(validateCalendar(broken)).toEqual([
      'Mars/Olympus is not an IANA time zone',
      'monday: 10:00–09:00 is not a valid interval',
      'holiday 2026-13-01 is not a date (YYYY-MM-DD)',
    ]);
    const closed: BusinessCalendar = {
      ...berlinOffice,
      week: Object.fromEntries(WEEKDAYS.map((d) => [d, [] as { start: number; end: number }[]])) as BusinessCalendar['week'],
    };
    expect(validateCalendar(closed)).toContain('the calendar has no working hours at all');
    expect(() => addBusinessTime(closed, new Date(), HOUR)).toThrow('no working time');
    expect(validateCalendar(berlinOffice)).toEqual([]);
  });
});
