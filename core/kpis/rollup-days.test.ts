import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDaysAreUtcDays, splitByUtcDays, splitByUtcMonths } from './rollup-days.js';

const at = (iso: string) => new Date(iso);

describe('splitByUtcDays', () => {
  it('reads the whole UTC days from the rollups and the hours around them per ticket', () => {
    const split = splitByUtcDays({ from: at('2026-03-01T15:00:00Z'), to: at('2026-03-04T09:00:00Z') });
    expect(split.days).toEqual({ from: '2026-03-02', to: '2026-03-04' });
    expect(split.edges).toEqual([
      { from: at('2026-03-01T15:00:00Z'), to: at('2026-03-02T00:00:00Z') },
      { from: at('2026-03-04T00:00:00Z'), to: at('2026-03-04T09:00:00Z') },
    ]);
  });

  it('reads a period of midnights from the rollups alone, and one inside a day per ticket alone', () => {
    expect(splitByUtcDays({ from: at('2026-03-01T00:00:00Z'), to: at('2026-03-03T00:00:00Z') })).toEqual({
      days: { from: '2026-03-01', to: '2026-03-03' },
      edges: [],
    });
    const inside = { from: at('2026-03-01T01:00:00Z'), to: at('2026-03-01T23:00:00Z') };
    expect(splitByUtcDays(inside)).toEqual({ days: null, edges: [inside] });
  });

  it('covers the period exactly once, whatever its ends', () => {
    const minute = 60_000;
    const base = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 24 * 10 }), fc.integer({ min: 1, max: 60 * 24 * 10 }), (start, length) => {
        const period = { from: new Date(base + start * minute), to: new Date(base + (start + length) * minute) };
        const { days, edges } = splitByUtcDays(period);
        const parts = [...edges.map((e) => [e.from.getTime(), e.to.getTime()])];
        if (days) parts.push([Date.parse(`${days.from}T00:00:00Z`), Date.parse(`${days.to}T00:00:00Z`)]);
        parts.sort((a, b) => a[0] - b[0]);
        expect(parts[0][0]).toBe(period.from.getTime());
        expect(parts[parts.length - 1][1]).toBe(period.to.getTime());
        for (let i = 1; i < parts.length; i++) expect(parts[i][0]).toBe(parts[i - 1][1]);
      }),
    );
  });
});

describe('localDaysAreUtcDays', () => {
  it('holds for UTC and for London in winter, not across its summer time nor elsewhere', () => {
    const winter = { from: at('2026-01-05T00:00:00Z'), to: at('2026-02-05T00:00:00Z') };
    expect(localDaysAreUtcDays(winter, 'UTC')).toBe(true);
    expect(localDaysAreUtcDays(winter, 'Europe/London')).toBe(true);
    expect(localDaysAreUtcDays({ from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') }, 'Europe/London')).toBe(false);
    expect(localDaysAreUtcDays(winter, 'Asia/Kolkata')).toBe(false);
  });
});

describe('splitByUtcMonths', () => {
  it('reads the whole UTC months from the histograms and the rest per ticket', () => {
    expect(splitByUtcMonths({ from: at('2025-12-06T14:00:00Z'), to: at('2026-03-10T09:00:00Z') })).toEqual({
      days: { from: '2026-01-01', to: '2026-03-01' },
      edges: [
        { from: at('2025-12-06T14:00:00Z'), to: at('2026-01-01T00:00:00Z') },
        { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-10T09:00:00Z') },
      ],
    });
    expect(splitByUtcMonths({ from: at('2026-02-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') })).toEqual({
      days: { from: '2026-02-01', to: '2026-03-01' },
      edges: [],
    });
    const inside = { from: at('2026-02-01T00:00:00Z'), to: at('2026-02-28T23:00:00Z') };
    expect(splitByUtcMonths(inside)).toEqual({ days: null, edges: [inside] });
  });

  it('covers the period exactly once, whatever its ends', () => {
    const hour = 3_600_000;
    const base = Date.parse('2025-11-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 120 }), fc.integer({ min: 1, max: 24 * 120 }), (start, length) => {
        const period = { from: new Date(base + start * hour), to: new Date(base + (start + length) * hour) };
        const { days, edges } = splitByUtcMonths(period);
        const parts = [...edges.map((e) => [e.from.getTime(), e.to.getTime()])];
        if (days) parts.push([Date.parse(`${days.from}T00:00:00Z`), Date.parse(`${days.to}T00:00:00Z`)]);
        parts.sort((a, b) => a[0] - b[0]);
        expect(parts[0][0]).toBe(period.from.getTime());
        expect(parts[parts.length - 1][1]).toBe(period.to.getTime());
        for (let i = 1; i < parts.length; i++) expect(parts[i][0]).toBe(parts[i - 1][1]);
      }),
    );
  });
});
