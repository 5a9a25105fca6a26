import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, alwaysOpenCalendar, businessTimeBetween, weekdayCalendar } from './business-calendar.js';
import { computeSlaClock, type SlaClockInput } from './sla-clock.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const nineToFive = [{ start: 9 * 60, end: 17 * 60 }];
const berlin = weekdayCalendar('Europe/Berlin', nineToFive, ['2026-10-03']);
const calendars = fc.constantFrom(berlin, alwaysOpenCalendar('America/New_York'));
const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }).map((ms) => new Date(ms));
const target = fc.integer({ min: 15 * MINUTE, max: 40 * HOUR });

const base = (over: Partial<SlaClockInput>): SlaClockInput => ({
  calendar: berlin,
  targetMs: 4 * HOUR,
  warnAtFraction: 0.75,
  startedAt: new Date('2026-03-02T08:00:00Z'), // Monday 09:00 Berlin
  pauses: [],
  stoppedAt: null,
  now: new Date('2026-03-02T09:00:00Z'),
  ...over,
});

describe('an SLA clock', () => {
  it("is due exactly the target's business time after it started, when never paused", () => {
    fc.assert(
      fc.property(calendars, instant, target, fc.integer({ min: 0, max: 10 * 24 * HOUR }), (calendar, startedAt, targetMs, later) => {
        const now = new Date(startedAt.getTime() + later);
        const clock = computeSlaClock({ calendar, targetMs, warnAtFraction: 0.75, startedAt, pauses: [], stoppedAt: null, now });
        expect(clock.dueAt?.getTime()).toBe(addBusinessTime(calendar, startedAt, targetMs).getTime());
        expect(clock.elapsedMs + clock.remainingMs).toBe(targetMs);
        expect(clock.status).toBe(clock.remainingMs < 0 ? 'breached' : 'running');
      }),
      { numRuns: 400 },
    );
  });

  it('moves the deadline by exactly the business time spent paused', () => {
    fc.assert(
      fc.property(
        calendars,
        instant,
        target,
        fc.integer({ min: 0, max: 20 * HOUR }),
        fc.integer({ min: 1, max: 72 * HOUR }),
        (calendar, startedAt, targetMs, pauseAfter, pauseLength) => {
          const from = new Date(startedAt.getTime() + pauseAfter);
          const to = new Date(from.getTime() + pauseLength);
          const now = new Date(to.getTime() + 1);
          const unpaused = addBusinessTime(calendar, startedAt, targetMs);
          fc.pre(unpaused.getTime() > from.getTime()); // paused before it fell due
          const clock = computeSlaClock({
            calendar,
            targetMs,
            warnAtFraction: null,
            startedAt,
            pauses: [{ from, to }],
            stoppedAt: null,
            now,
          });
          expect(businessTimeBetween(calendar, startedAt, clock.dueAt as Date)).toBe(targetMs + businessTimeBetween(calendar, from, to));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports paused, with no deadline, while on hold', () => {
    const clock = computeSlaClock(base({ pauses: [{ from: new Date('2026-03-02T08:30:00Z'), to: null }] }));
    expect(clock).toMatchObject({ status: 'paused', elapsedMs: 30 * MINUTE, remainingMs: 210 * MINUTE, dueAt: null, warnAt: null });
  });

  it('is met when stopped in time, and stays breached when stopped late', () => {
    const met = computeSlaClock(base({ stoppedAt: new Date('2026-03-02T10:00:00Z'), now: new Date('2026-03-03T10:00:00Z') }));
    expect(met).toMatchObject({ status: 'met', elapsedMs: 2 * HOUR, dueAt: null });
    const late = computeSlaClock(base({ stoppedAt: new Date('2026-03-02T13:00:00Z'), now: new Date('2026-03-03T10:00:00Z') }));
    expect(late.status).toBe('breached');
    expect(late.remainingMs).toBe(-1 * HOUR);
    expect(late.dueAt?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('warns at 75% of the target and breaches at 100%, in business time', () => {
    // Start Friday 15:00 Berlin with 4 business hours: 2 h on Friday, 2 h on Monday.
    const clock = computeSlaClock(base({ startedAt: new Date('2026-03-06T14:00:00Z'), now: new Date('2026-03-06T15:00:00Z') }));
    expect(clock.warnAt?.toISOString()).toBe('2026-03-09T09:00:00.000Z'); // Monday 10:00 Berlin: 3 h in
    expect(clock.dueAt?.toISOString()).toBe('2026-03-09T10:00:00.000Z'); // Monday 11:00 Berlin
    expect(clock.status).toBe('running');
  });
});
