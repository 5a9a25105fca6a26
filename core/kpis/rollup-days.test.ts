import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDaysAreUtcDays, planByUtcMonths, splitByLocalDayQuarters, splitByUtcDays, splitByUtcMonths } from './rollup-days.js';
import { dayOf } from './volume.js';

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

describe('planByUtcMonths', () => {
  it("reads a dashboard's 12 months as whole months less the week before the first, and its current month whole", () => {
    const now = at('2026-12-07T12:00:00Z');
    expect(planByUtcMonths({ from: at('2025-12-07T12:00:00Z'), to: now }, now)).toEqual({
      months: { from: '2025-12-01', to: '2027-01-01' },
      parts: [
        { period: { from: at('2025-12-01T00:00:00Z'), to: at('2025-12-07T12:00:00Z') }, sign: -1 },
        { period: { from: now, to: at('2027-01-01T00:00:00Z') }, sign: -1 },
      ],
    });
    // A few days inside one month: per ticket (no month read).
    const days = { from: at('2026-03-10T00:00:00Z'), to: at('2026-03-14T00:00:00Z') };
    expect(planByUtcMonths(days, now)).toEqual({ months: null, parts: [{ period: days, sign: 1 }] });
  });

  it('counts every instant of the period once and every other instant not at all, whatever its ends and now, taking away or not', () => {
    const hour = 3_600_000;
    const base = Date.parse('2025-11-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 120 }),
        fc.integer({ min: 1, max: 24 * 120 }),
        fc.integer({ min: 0, max: 24 * 300 }),
        fc.array(fc.integer({ min: -24 * 40, max: 24 * 300 }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (start, length, nowAt, probes, takeAway) => {
          const period = { from: new Date(base + start * hour), to: new Date(base + (start + length) * hour) };
          const plan = planByUtcMonths(period, new Date(base + nowAt * hour), takeAway);
          if (!takeAway) expect(plan.parts.every((p) => p.sign === 1)).toBe(true);
          const inside = (t: number, p: { from: Date; to: Date }) => (t >= p.from.getTime() && t < p.to.getTime() ? 1 : 0);
          for (const probe of [...probes.map((h) => base + h * hour + 1), period.from.getTime(), period.to.getTime() - 1]) {
            const inMonths = plan.months
              ? inside(probe, { from: new Date(`${plan.months.from}T00:00:00Z`), to: new Date(`${plan.months.to}T00:00:00Z`) })
              : 0;
            const counted = plan.parts.reduce((s, p) => s + p.sign * inside(probe, p.period), inMonths);
            expect(counted).toBe(inside(probe, period));
          }
        },
      ),
    );
  });
});

describe('splitByLocalDayQuarters', () => {
  const QUARTER = 900_000;
  const DAY = 86_400_000;

  it('reads a Kolkata day (+5:30) as the quarters of the two UTC days it covers', () => {
    const split = splitByLocalDayQuarters({ from: at('2026-03-01T18:30:00Z'), to: at('2026-03-02T18:30:00Z') }, 'Asia/Kolkata');
    expect(split).toEqual({
      spans: [
        { localDay: '2026-03-02', utcDay: '2026-03-01', fromQuarter: 74, toQuarter: 96 },
        { localDay: '2026-03-02', utcDay: '2026-03-02', fromQuarter: 0, toQuarter: 74 },
      ],
      edges: [],
    });
  });

  it('reads per ticket only what lies off the quarter hour at the ends of the period', () => {
    const split = splitByLocalDayQuarters({ from: at('2026-03-01T10:37:00Z'), to: at('2026-03-01T12:05:00Z') }, 'Asia/Kathmandu');
    expect(split.edges).toEqual([
      { from: at('2026-03-01T10:37:00Z'), to: at('2026-03-01T10:45:00Z') },
      { from: at('2026-03-01T12:00:00Z'), to: at('2026-03-01T12:05:00Z') },
    ]);
    expect(split.spans).toEqual([{ localDay: '2026-03-01', utcDay: '2026-03-01', fromQuarter: 43, toQuarter: 48 }]);
  });

  it('covers the period exactly once, each part in the local day of its instants, across DST changes and +5:45', () => {
    const minute = 60_000;
    const base = Date.parse('2026-03-20T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 * 30 }),
        fc.integer({ min: 1, max: 60 * 24 * 40 }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'),
        (start, length, timeZone) => {
          const from = base + start * minute;
          const to = from + length * minute;
          const { spans, edges } = splitByLocalDayQuarters({ from: new Date(from), to: new Date(to) }, timeZone);
          const parts = [
            ...spans.map((s) => {
              const day = Date.parse(`${s.utcDay}T00:00:00Z`);
              expect(s.fromQuarter).toBeLessThan(s.toQuarter);
              return { from: day + s.fromQuarter * QUARTER, to: day + s.toQuarter * QUARTER, localDay: s.localDay as string | null };
            }),
            ...edges.map((e) => ({ from: e.from.getTime(), to: e.to.getTime(), localDay: null })),
          ].sort((a, b) => a.from - b.from);
          expect(parts[0].from).toBe(from);
          expect(parts[parts.length - 1].to).toBe(to);
          for (let i = 1; i < parts.length; i++) expect(parts[i].from).toBe(parts[i - 1].to);
          for (const p of parts) {
            if (p.localDay === null) continue;
            // A part lies in one local day: its first and last instants are on it, and it is within a UTC day.
            expect(dayOf(new Date(p.from), timeZone)).toBe(p.localDay);
            expect(dayOf(new Date(p.to - 1), timeZone)).toBe(p.localDay);
            expect(Math.floor(p.from / DAY)).toBe(Math.floor((p.to - 1) / DAY));
          }
          // The period ends on minutes, so at most its two ends are off the quarter hour.
          expect(edges.length).toBeLessThanOrEqual(2);
        },
      ),
      // Berlin's spring change (29 March 2026) and Lord Howe's half-hour one (5 April 2026) inside the period.
      {
        examples: [
          [60 * 24 * 5, 60 * 24 * 10, 'Europe/Berlin'],
          [60 * 24 * 10 + 7, 60 * 24 * 20 + 3, 'Australia/Lord_Howe'],
        ],
      },
    );
  });
});
