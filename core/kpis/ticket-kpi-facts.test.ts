import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeBetween, weekdayCalendar } from '../business-calendar.js';
import { breachRecorded, businessDurationsOf, kpiTimesChanged } from './ticket-kpi-facts.js';

const office = weekdayCalendar('America/New_York', [{ start: 9 * 60, end: 17 * 60 }], ['2026-03-09']);
const BASE = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;

const times = fc
  .record({
    opened: fc.integer({ min: 0, max: 30 * 24 * 60 }),
    ack: fc.option(fc.integer({ min: 0, max: 5 * 24 * 60 }), { nil: null }),
    resolve: fc.option(fc.integer({ min: 0, max: 20 * 24 * 60 }), { nil: null }),
    policy: fc.constantFrom(null, 'p1', 'p2'),
  })
  .map((g) => ({
    openedAt: new Date(BASE + g.opened * MINUTE),
    firstResponseAt: g.ack === null ? null : new Date(BASE + (g.opened + g.ack) * MINUTE),
    resolvedAt: g.resolve === null ? null : new Date(BASE + (g.opened + g.resolve) * MINUTE),
    slaPolicyId: g.policy,
  }));

describe('the KPI facts kept on a ticket', () => {
  it('are the business time of the calendar (never more than wall-clock), or wall-clock without one, or null without the time', () => {
    fc.assert(
      fc.property(times, fc.boolean(), (t, withCalendar) => {
        const facts = businessDurationsOf(t, withCalendar ? office : null);
        for (const [ms, end] of [
          [facts.businessAcknowledgeMs, t.firstResponseAt],
          [facts.businessResolveMs, t.resolvedAt],
        ] as const) {
          if (end === null) {
            expect(ms).toBeNull();
            continue;
          }
          const wall = end.getTime() - t.openedAt.getTime();
          expect(ms).toBe(withCalendar ? businessTimeBetween(office, t.openedAt, end) : wall);
          expect(ms).toBeLessThanOrEqual(wall);
        }
      }),
    );
  });

  it('are recounted exactly when a time they are counted from, or the policy, moved', () => {
    fc.assert(
      fc.property(times, times, (a, b) => {
        expect(kpiTimesChanged(a, a)).toBe(false);
        const moved =
          a.openedAt.getTime() !== b.openedAt.getTime() ||
          a.firstResponseAt?.getTime() !== b.firstResponseAt?.getTime() ||
          a.resolvedAt?.getTime() !== b.resolvedAt?.getTime() ||
          a.slaPolicyId !== b.slaPolicyId;
        expect(kpiTimesChanged(a, b)).toBe(moved);
      }),
    );
  });

  it('flag a breach once: a ticket already breached is not flagged again, a warning is no breach', () => {
    expect(breachRecorded({ slaBreached: false }, [{ type: 'sla_warning' }])).toBe(false);
    expect(breachRecorded({ slaBreached: false }, [{ type: 'sla_breached' }])).toBe(true);
    expect(breachRecorded({ slaBreached: true }, [{ type: 'sla_breached' }])).toBe(false);
    expect(breachRecorded(null, [{ type: 'sla_breached' }])).toBe(true);
  });
});
