import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput } from './zoned-time';

describe('times in a person’s own time zone', () => {
  it('shows an instant as the wall clock of the zone, whatever the browser’s', () => {
    const at = new Date('2026-12-04T14:00:00Z');
    expect(toZonedInput(at, 'Europe/Berlin')).toBe('2026-12-04T15:00');
    expect(toZonedInput(at, 'America/New_York')).toBe('2026-12-04T09:00');
    expect(toZonedInput(at, 'Asia/Kolkata')).toBe('2026-12-04T19:30');
  });

  it('reads a wall time in the zone back as the same instant', () => {
    expect(fromZonedInput('2026-12-04T15:00', 'Europe/Berlin')?.toISOString()).toBe('2026-12-04T14:00:00.000Z');
    expect(fromZonedInput('2026-07-04T15:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-04T13:00:00.000Z');
    expect(fromZonedInput('2026-12-04T19:30', 'Asia/Kolkata')?.toISOString()).toBe('2026-12-04T14:00:00.000Z');
  });

  it('round-trips every hour of a year with two DST changes, except the hour that does not exist', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
      const at = new Date(t);
      const back = fromZonedInput(toZonedInput(at, 'Europe/Berlin'), 'Europe/Berlin');
      // The hour repeated in autumn reads as its first occurrence.
      expect(back && (back.getTime() === t || back.getTime() === t - 3_600_000)).toBe(true);
    }
    // 02:30 on the spring-forward night does not exist in Berlin: read with the winter offset.
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses what is not a datetime-local value', () => {
    expect(fromZonedInput('', 'Europe/Berlin')).toBeNull();
    expect(fromZonedInput('tomorrow', 'Europe/Berlin')).toBeNull();
  });
});
