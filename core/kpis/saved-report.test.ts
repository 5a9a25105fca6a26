import { describe, expect, it } from 'vitest';
import { nextSendAt, periodBefore } from './saved-report.js';

describe('a scheduled report’s send times', () => {
  it('fall on the next Monday or 1st at 07:00 local time, across daylight-saving changes', () => {
    // Wednesday 2026-03-25; Berlin moves to summer time on Sunday the 29th.
    expect(nextSendAt('weekly', new Date('2026-03-25T10:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-30T05:00:00.000Z');
    expect(nextSendAt('weekly', new Date('2026-03-30T05:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-04-06T05:00:00.000Z');
    // A Monday before 07:00 sends the same day.
    expect(nextSendAt('weekly', new Date('2026-03-30T04:59:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-30T05:00:00.000Z');
    expect(nextSendAt('monthly', new Date('2026-01-31T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(nextSendAt('monthly', new Date('2026-12-01T12:00:00Z'), 'UTC').toISOString()).toBe('2027-01-01T07:00:00.000Z');
  });

  it('cover the whole local days before the day of sending', () => {
    const p = periodBefore(new Date('2026-03-30T05:00:00Z'), 7, 'Europe/Berlin');
    expect(p.from.toISOString()).toBe('2026-03-22T23:00:00.000Z'); // Monday the 23rd, 00:00 winter time
    expect(p.to.toISOString()).toBe('2026-03-29T22:00:00.000Z'); // Monday the 30th, 00:00 summer time
  });
});
