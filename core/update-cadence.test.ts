import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_INTERVALS, nextUpdateDue, updateIntervalProblems, updateStatus } from './update-cadence.js';

const at = (iso: string) => new Date(iso);
const date = fc.date({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z'), noInvalidDate: true });

describe('the update cadence', () => {
  it('asks a P1 for an update every 30 minutes and a P2 every hour, others never (the defaults)', () => {
    const base = { open: true, lastUpdateAt: null, cadenceSince: at('2026-12-01T09:07:00Z'), intervals: DEFAULT_UPDATE_INTERVALS };
    expect(nextUpdateDue({ ...base, priority: 1 })).toEqual(at('2026-12-01T09:37:00Z'));
    expect(nextUpdateDue({ ...base, priority: 2 })).toEqual(at('2026-12-01T10:07:00Z'));
    expect(nextUpdateDue({ ...base, priority: 3 })).toBeNull();
    expect(nextUpdateDue({ ...base, priority: 1, open: false })).toBeNull();
  });

  it('counts from the last update sent', () => {
    const due = nextUpdateDue({
      priority: 1,
      open: true,
      lastUpdateAt: at('2026-12-01T09:20:00Z'),
      cadenceSince: at('2026-12-01T09:07:00Z'),
      intervals: DEFAULT_UPDATE_INTERVALS,
    });
    expect(due).toEqual(at('2026-12-01T09:50:00Z'));
  });

  it('is never due before the last update or before the cadence began', () => {
    fc.assert(
      fc.property(
        date,
        fc.option(date),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 5, max: 1440 }),
        (since, last, priority, minutes) => {
          const due = nextUpdateDue({ priority, open: true, lastUpdateAt: last, cadenceSince: since, intervals: { [priority]: minutes } });
          expect(due).not.toBeNull();
          expect((due as Date).getTime()).toBeGreaterThan(since.getTime());
          if (last) expect((due as Date).getTime()).toBeGreaterThan(last.getTime());
        },
      ),
    );
  });

  it('is overdue only once the grace period after the due time has passed, and due from the due time', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -120, max: 120 }), fc.integer({ min: 0, max: 60 }), (due, offsetMinutes, grace) => {
        const now = new Date(due.getTime() + offsetMinutes * 60_000);
        const status = updateStatus(now, due, grace);
        if (offsetMinutes < 0) expect(status).toBe('not_due');
        else if (offsetMinutes < grace) expect(status).toBe('due');
        else expect(status).toBe('overdue');
      }),
    );
    expect(updateStatus(at('2026-12-01T10:00:00Z'), null, 8)).toBe('not_due');
  });

  it('refuses intervals that are not whole minutes between 5 and 24 hours, naming the priority', () => {
    expect(updateIntervalProblems({ 1: 30, 2: 60 })).toEqual([]);
    expect(updateIntervalProblems({ 1: 2, 3: 30.5 })).toEqual([
      { field: '1', message: 'must be whole minutes from 5 to 1,440 (24 hours)' },
      { field: '3', message: 'must be whole minutes from 5 to 1,440 (24 hours)' },
    ]);
  });
});
