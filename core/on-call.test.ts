import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findOverlappingOverride,
  layerOnCallAt,
  layerShifts,
  layerStart,
  type OnCallLayer,
  type OnCallOverride,
  type OnCallSchedule,
  renderRota,
  validateSchedule,
  whoIsOnCall,
} from './on-call.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

const layer = (over: Partial<OnCallLayer> = {}): OnCallLayer => ({
  name: 'Primary',
  rotation: { kind: 'daily' },
  handoffTime: '09:00',
  startDate: '2026-03-01',
  participants: ['ann', 'bob', 'cat'],
  ...over,
});

const berlinDaily: OnCallSchedule = { timeZone: 'Europe/Berlin', layers: [layer({ startDate: '2026-03-27' })] };

describe('daily handoff at 09:00 in Europe/Berlin across daylight-saving changes', () => {
  it('hands off at 09:00 local on both sides of the March change (the short night is a 23-hour shift)', () => {
    // 27 March 09:00 CET = 08:00Z: ann; 28 March 09:00 CET = 08:00Z: bob; 29 March (CEST from 02:00) 09:00 = 07:00Z: cat.
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-27T08:00:00Z'))?.userId).toBe('ann');
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-27T07:59:59Z'))).toBeNull(); // before the first shift
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-28T07:59:59Z'))?.userId).toBe('ann');
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-28T08:00:00Z'))?.userId).toBe('bob');
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-29T06:59:59Z'))?.userId).toBe('bob');
    expect(whoIsOnCall(berlinDaily, [], at('2026-03-29T07:00:00Z'))?.userId).toBe('cat');
    const shifts = layerShifts(berlinDaily.layers[0], 'Europe/Berlin', at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    expect(shifts.map((s) => [s.userId, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['ann', '2026-03-28T00:00:00.000Z', '2026-03-28T08:00:00.000Z'],
      ['bob', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z'], // 23 hours
      ['cat', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'],
      ['ann', '2026-03-30T07:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ]);
  });

  it('hands off at 09:00 local across the October change (the long night is a 25-hour shift)', () => {
    const october: OnCallSchedule = {
      timeZone: 'Europe/Berlin',
      layers: [layer({ startDate: '2026-10-24', participants: ['ann', 'bob'] })],
    };
    // 24 Oct 09:00 CEST = 07:00Z: ann; 25 Oct (CET from 03:00) 09:00 = 08:00Z: bob.
    expect(whoIsOnCall(october, [], at('2026-10-25T07:59:59Z'))?.userId).toBe('ann');
    expect(whoIsOnCall(october, [], at('2026-10-25T08:00:00Z'))?.userId).toBe('bob');
    const [first] = layerShifts(october.layers[0], 'Europe/Berlin', at('2026-10-24T07:00:00Z'), at('2026-10-26T00:00:00Z'));
    expect(first.end.getTime() - first.start.getTime()).toBe(25 * HOUR);
  });

  it('keeps a weekly Monday 09:00 handoff at 09:00 local through the change', () => {
    const weekly: OnCallSchedule = {
      timeZone: 'Europe/Berlin',
      layers: [layer({ rotation: { kind: 'weekly' }, startDate: '2026-03-23', participants: ['ann', 'bob'] })],
    };
    expect(whoIsOnCall(weekly, [], at('2026-03-30T06:59:00Z'))?.userId).toBe('ann'); // 08:59 CEST
    expect(whoIsOnCall(weekly, [], at('2026-03-30T07:00:00Z'))?.userId).toBe('bob'); // 09:00 CEST
  });

  it('counts custom rotations that are not whole days in elapsed hours', () => {
    const twelve: OnCallSchedule = {
      timeZone: 'Europe/Berlin',
      layers: [layer({ rotation: { kind: 'custom', lengthHours: 12 }, startDate: '2026-03-28', participants: ['ann', 'bob'] })],
    };
    // Starts 28 March 09:00 CET = 08:00Z; 12-hour shifts in real time.
    expect(whoIsOnCall(twelve, [], at('2026-03-28T19:59:00Z'))?.userId).toBe('ann');
    expect(whoIsOnCall(twelve, [], at('2026-03-28T20:00:00Z'))?.userId).toBe('bob');
    expect(whoIsOnCall(twelve, [], at('2026-03-29T08:00:00Z'))?.userId).toBe('ann');
  });
});

describe('layers and overrides', () => {
  const schedule: OnCallSchedule = {
    timeZone: 'UTC',
    layers: [
      layer({ name: 'Base', participants: ['ann', 'bob'], startDate: '2026-03-01' }),
      // A weekend layer that starts later: covers only from its start.
      layer({ name: 'Upper', participants: ['zed'], startDate: '2026-03-10', rotation: { kind: 'weekly' } }),
    ],
  };

  it('lets a higher layer win where it has someone', () => {
    expect(whoIsOnCall(schedule, [], at('2026-03-05T12:00:00Z'))).toEqual({ userId: 'ann', source: 'layer', layer: 0 });
    expect(whoIsOnCall(schedule, [], at('2026-03-12T12:00:00Z'))).toEqual({ userId: 'zed', source: 'layer', layer: 1 });
  });

  it('lets an override win inside its window, and only there', () => {
    const overrides: OnCallOverride[] = [{ userId: 'sub', startsAt: at('2026-03-05T10:00:00Z'), endsAt: at('2026-03-05T14:00:00Z') }];
    expect(whoIsOnCall(schedule, overrides, at('2026-03-05T09:59:59Z'))?.userId).toBe('ann');
    expect(whoIsOnCall(schedule, overrides, at('2026-03-05T10:00:00Z'))).toEqual({ userId: 'sub', source: 'override', layer: null });
    expect(whoIsOnCall(schedule, overrides, at('2026-03-05T14:00:00Z'))?.userId).toBe('ann');
  });

  it('renders the rota as merged segments that agree with the point answer', () => {
    const overrides: OnCallOverride[] = [{ userId: 'sub', startsAt: at('2026-03-05T10:00:00Z'), endsAt: at('2026-03-05T14:00:00Z') }];
    const rota = renderRota(schedule, overrides, at('2026-03-05T00:00:00Z'), at('2026-03-06T12:00:00Z'));
    expect(rota.map((s) => [s.userId, s.start.toISOString(), s.end.toISOString(), s.source])).toEqual([
      ['bob', '2026-03-05T00:00:00.000Z', '2026-03-05T09:00:00.000Z', 'layer'],
      ['ann', '2026-03-05T09:00:00.000Z', '2026-03-05T10:00:00.000Z', 'layer'],
      ['sub', '2026-03-05T10:00:00.000Z', '2026-03-05T14:00:00.000Z', 'override'],
      ['ann', '2026-03-05T14:00:00.000Z', '2026-03-06T09:00:00.000Z', 'layer'],
      ['bob', '2026-03-06T09:00:00.000Z', '2026-03-06T12:00:00.000Z', 'layer'],
    ]);
  });

  it('finds overlapping overrides, and lets touching ones be', () => {
    const existing = [{ startsAt: at('2026-03-05T10:00:00Z'), endsAt: at('2026-03-05T14:00:00Z') }];
    expect(findOverlappingOverride(existing, { startsAt: at('2026-03-05T13:00:00Z'), endsAt: at('2026-03-05T15:00:00Z') })).toBe(
      existing[0],
    );
    expect(findOverlappingOverride(existing, { startsAt: at('2026-03-05T14:00:00Z'), endsAt: at('2026-03-05T15:00:00Z') })).toBeNull();
  });
});

describe('validation names the field at fault', () => {
  it('refuses an unknown zone, an empty rotation, a zero-length rotation and no layers', () => {
    const fields = (s: OnCallSchedule) => validateSchedule(s).map((p) => p.field);
    expect(fields({ timeZone: 'Mars/Olympus_Mons', layers: [layer()] })).toEqual(['timeZone']);
    expect(fields({ timeZone: 'UTC', layers: [layer({ participants: [] })] })).toEqual(['layers.0.participants']);
    expect(fields({ timeZone: 'UTC', layers: [layer({ rotation: { kind: 'custom', lengthHours: 0 } })] })).toEqual([
      'layers.0.rotation.lengthHours',
    ]);
    expect(fields({ timeZone: 'UTC', layers: [] })).toEqual(['layers']);
    expect(fields({ timeZone: 'Europe/Berlin', layers: [layer()] })).toEqual([]);
  });
});

// ---- Properties ----

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const START = Date.parse('2026-01-01T00:00:00Z');
const instant = fc.integer({ min: 0, max: 730 * 24 * 60 }).map((minutes) => new Date(START + minutes * 60_000));
const arbLayer = fc.record({
  name: fc.constant('L'),
  rotation: fc.oneof(
    fc.constant({ kind: 'daily' as const }),
    fc.constant({ kind: 'weekly' as const }),
    fc.integer({ min: 1, max: 24 * 10 }).map((h) => ({ kind: 'custom' as const, lengthHours: h })),
  ),
  handoffTime: fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  startDate: fc.integer({ min: 0, max: 300 }).map((d) => new Date(START + d * DAY).toISOString().slice(0, 10)),
  participants: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 6 }),
});
const arbSchedule = fc.record({ timeZone: fc.constantFrom(...ZONES), layers: fc.array(arbLayer, { minLength: 1, maxLength: 3 }) });

describe('properties', () => {
  it('always has someone on call within a layer’s coverage (after its first handoff), one of its participants', () => {
    fc.assert(
      fc.property(arbLayer, fc.constantFrom(...ZONES), instant, (l, zone, t) => {
        fc.pre(t >= layerStart(l, zone));
        const who = layerOnCallAt(l, zone, t);
        return who !== null && (l.participants as string[]).includes(who);
      }),
    );
  });

  it('is periodic: the same person is on call one full cycle later (in UTC, and for elapsed-hour rotations anywhere)', () => {
    fc.assert(
      fc.property(arbLayer, fc.constantFrom(...ZONES), instant, (l, zone, t) => {
        const days = l.rotation.kind === 'daily' ? 1 : l.rotation.kind === 'weekly' ? 7 : null;
        const hours = l.rotation.kind === 'custom' ? (l.rotation.lengthHours as number) : null;
        const calendarDays = days ?? (hours !== null && hours % 24 === 0 ? hours / 24 : null);
        // Calendar rotations are periodic in wall-clock time; compare in UTC where that is real time.
        const useZone = calendarDays === null ? zone : 'UTC';
        const cycleMs =
          calendarDays !== null ? calendarDays * DAY * l.participants.length : (hours as number) * HOUR * l.participants.length;
        const now = layerOnCallAt(l, useZone, t);
        fc.pre(now !== null);
        return layerOnCallAt(l, useZone, new Date(t.getTime() + cycleMs)) === now;
      }),
    );
  });

  it('lets an override win inside its window and changes nothing outside it', () => {
    fc.assert(
      fc.property(arbSchedule, instant, fc.integer({ min: 1, max: 72 * 60 }), instant, (schedule, from, minutes, t) => {
        const override = { userId: 'override-person', startsAt: from, endsAt: new Date(from.getTime() + minutes * 60_000) };
        const withIt = whoIsOnCall(schedule, [override], t);
        if (t >= override.startsAt && t < override.endsAt) return withIt?.userId === 'override-person' && withIt.source === 'override';
        return JSON.stringify(withIt) === JSON.stringify(whoIsOnCall(schedule, [], t));
      }),
    );
  });

  it('renders a rota whose segments tile the covered time and agree with whoIsOnCall at every instant', () => {
    fc.assert(
      fc.property(
        arbSchedule,
        instant,
        fc.integer({ min: 1, max: 20 * 24 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 5 }),
        (schedule, from, hours, probes) => {
          const to = new Date(from.getTime() + hours * HOUR);
          const rota = renderRota(schedule, [], from, to);
          for (let i = 1; i < rota.length; i++) if (rota[i].start < rota[i - 1].end) return false;
          for (const p of probes) {
            const t = new Date(from.getTime() + Math.floor(((to.getTime() - from.getTime()) * p) / 1001));
            const segment = rota.find((s) => s.start <= t && t < s.end);
            const who = whoIsOnCall(schedule, [], t);
            if ((segment?.userId ?? null) !== (who?.userId ?? null)) return false;
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });
});
