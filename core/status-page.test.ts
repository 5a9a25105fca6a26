import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  componentStatus,
  componentsAffectedBy,
  nextChangeByTime,
  type OutageInterval,
  overallStatus,
  publicUpdateStatus,
  statusFromIncident,
  uptimeByDay,
  uptimeOverall,
  worstStatus,
} from './status-page.js';

const at = (iso: string) => new Date(iso);
const now = at('2026-12-06T12:00:00Z');
const status = fc.constantFrom(...COMPONENT_STATUSES);
const incident = fc.record({
  priority: fc.integer({ min: 1, max: 5 }),
  major: fc.boolean(),
  kind: fc.constantFrom('incident' as const, 'service_request' as const, 'disturbance' as const),
});

describe("a component's status", () => {
  it('is a major outage during a major incident or a P1, partial for a P2, degraded otherwise', () => {
    expect(statusFromIncident({ priority: 3, major: true, kind: 'incident' })).toBe('major_outage');
    expect(statusFromIncident({ priority: 1, major: false, kind: 'incident' })).toBe('major_outage');
    expect(statusFromIncident({ priority: 2, major: false, kind: 'incident' })).toBe('partial_outage');
    expect(statusFromIncident({ priority: 4, major: false, kind: 'incident' })).toBe('degraded_performance');
    expect(statusFromIncident({ priority: 1, major: false, kind: 'disturbance' })).toBe('degraded_performance');
  });

  it('takes the worst of its incidents and maintenance, whatever their order', () => {
    fc.assert(
      fc.property(fc.array(incident, { maxLength: 6 }), fc.boolean(), (incidents, maintenance) => {
        const got = componentStatus({ openIncidents: incidents, maintenanceInProgress: maintenance, override: null, now });
        const reversed = componentStatus({
          openIncidents: [...incidents].reverse(),
          maintenanceInProgress: maintenance,
          override: null,
          now,
        });
        expect(got).toBe(reversed);
        for (const i of incidents) expect(worstStatus(got, statusFromIncident(i))).toBe(got);
        if (incidents.length === 0) expect(got).toBe(maintenance ? 'under_maintenance' : 'operational');
      }),
    );
  });

  it('follows a manual override while it lasts, and the incidents once it expired', () => {
    fc.assert(
      fc.property(fc.array(incident, { maxLength: 4 }), status, fc.integer({ min: -600, max: 600 }), (incidents, forced, minutes) => {
        const until = new Date(now.getTime() + minutes * 60_000);
        const got = componentStatus({ openIncidents: incidents, maintenanceInProgress: false, override: { status: forced, until }, now });
        const without = componentStatus({ openIncidents: incidents, maintenanceInProgress: false, override: null, now });
        expect(got).toBe(minutes > 0 ? forced : without);
      }),
    );
  });

  it('ranks an outage above maintenance', () => {
    expect(worstStatus('under_maintenance', 'partial_outage')).toBe('partial_outage');
    expect(worstStatus('operational', 'under_maintenance')).toBe('under_maintenance');
  });
});

describe("the page's overall status", () => {
  it('says all is well only when every component is operational', () => {
    expect(overallStatus(['operational', 'operational'])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(overallStatus([])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(overallStatus(['operational', 'major_outage'])).toEqual({ indicator: 'critical', description: 'Major Service Outage' });
    expect(overallStatus(['partial_outage', 'partial_outage'])).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(overallStatus(['under_maintenance'])).toMatchObject({ indicator: 'maintenance' });
  });

  it('is never better than its worst component', () => {
    const rank = ['none', 'maintenance', 'minor', 'major', 'critical'];
    fc.assert(
      fc.property(fc.array(status, { maxLength: 8 }), (statuses) => {
        const worst = statuses.reduce<ComponentStatus>((w, s) => worstStatus(w, s), 'operational');
        expect(rank.indexOf(overallStatus(statuses).indicator)).toBe(COMPONENT_STATUSES.indexOf(worst));
      }),
    );
  });
});

describe('uptime over the last days', () => {
  it('loses a whole hour to an hour-long major outage and 30% of one to a partial outage', () => {
    const days = uptimeByDay(
      [
        { status: 'major_outage', from: at('2026-12-05T09:00:00Z'), until: at('2026-12-05T10:00:00Z') },
        { status: 'partial_outage', from: at('2026-12-04T09:00:00Z'), until: at('2026-12-04T10:00:00Z') },
      ],
      { now, days: 3 },
    );
    expect(days.map((d) => d.day.toISOString().slice(0, 10))).toEqual(['2026-12-04', '2026-12-05', '2026-12-06']);
    expect(days[0].uptime).toBeCloseTo(1 - 0.3 / 24, 10);
    expect(days[1].uptime).toBeCloseTo(1 - 1 / 24, 10);
    expect(days[1].worst).toBe('major_outage');
    expect(days[2]).toMatchObject({ uptime: 1, worst: 'operational' });
  });

  it('counts overlapping outages once, at the worst of them', () => {
    const [day] = uptimeByDay(
      [
        { status: 'partial_outage', from: at('2026-12-06T00:00:00Z'), until: at('2026-12-06T06:00:00Z') },
        { status: 'major_outage', from: at('2026-12-06T03:00:00Z'), until: at('2026-12-06T04:00:00Z') },
      ],
      { now, days: 1 },
    );
    // 12 h elapsed today: 5 h partial (×0.3) and 1 h major.
    expect(day.uptime).toBeCloseTo(1 - (5 * 0.3 + 1) / 12, 10);
  });

  it('splits an outage across midnight, counts one still going on until now, and shows no bar before the component existed', () => {
    const days = uptimeByDay([{ status: 'major_outage', from: at('2026-12-05T23:00:00Z'), until: null }], {
      now,
      days: 3,
      since: at('2026-12-05T00:00:00Z'),
    });
    expect(days[0].uptime).toBeNull();
    expect(days[1].uptime).toBeCloseTo(23 / 24, 10);
    expect(days[2].uptime).toBe(0);
  });

  it('stays between 0 and 1 and is 1 without outages', () => {
    const interval: fc.Arbitrary<OutageInterval> = fc
      .record({ status, start: fc.integer({ min: -5 * 1440, max: 0 }), length: fc.option(fc.integer({ min: 1, max: 3 * 1440 })) })
      .map(({ status: s, start, length }) => ({
        status: s,
        from: new Date(now.getTime() + start * 60_000),
        until: length === null ? null : new Date(now.getTime() + (start + length) * 60_000),
      }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 5 }), (intervals) => {
        const days = uptimeByDay(intervals, { now, days: 7 });
        expect(days).toHaveLength(7);
        for (const d of days) {
          expect(d.uptime).not.toBeNull();
          expect(d.uptime as number).toBeGreaterThanOrEqual(-1e-12);
          expect(d.uptime as number).toBeLessThanOrEqual(1 + 1e-12);
        }
        const overall = uptimeOverall(days, now) as number;
        expect(overall).toBeGreaterThanOrEqual(-1e-12);
        expect(overall).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
    expect(uptimeOverall(uptimeByDay([], { now, days: 90 }), now)).toBe(1);
  });
});

describe('which components an incident shows on', () => {
  const parents = [
    { id: 'vpn', parentId: null },
    { id: 'vpn-gateway', parentId: 'vpn' },
    { id: 'firewall', parentId: null },
    { id: 'payroll', parentId: null },
    { id: 'printing', parentId: null },
  ];
  const edges = [
    { serviceId: 'vpn', dependsOnId: 'firewall' },
    { serviceId: 'payroll', dependsOnId: 'vpn' },
  ];

  it('shows a component’s outage on its service and on everything that depends on it, never on unrelated services', () => {
    expect([...componentsAffectedBy('vpn-gateway', edges, parents)].sort()).toEqual(['payroll', 'vpn', 'vpn-gateway']);
    expect([...componentsAffectedBy('firewall', edges, parents)].sort()).toEqual(['firewall', 'payroll', 'vpn']);
    expect([...componentsAffectedBy('printing', edges, parents)]).toEqual(['printing']);
  });

  it('terminates on a cycle and always includes the service itself', () => {
    const cyclic = [
      { serviceId: 'a', dependsOnId: 'b' },
      { serviceId: 'b', dependsOnId: 'a' },
    ];
    expect([...componentsAffectedBy('a', cyclic, [])].sort()).toEqual(['a', 'b']);
  });
});

describe('the status of a public update', () => {
  it('is the composer stage when Statuspage knows it, else follows the resolution', () => {
    expect(publicUpdateStatus({ stage: 'identified', writtenAfterResolution: false })).toBe('identified');
    expect(publicUpdateStatus({ stage: 'monitoring', writtenAfterResolution: false })).toBe('monitoring');
    expect(publicUpdateStatus({ stage: 'resolved', writtenAfterResolution: true })).toBe('resolved');
    // A maintenance-stage text and a plain reply have no Statuspage stage.
    expect(publicUpdateStatus({ stage: 'maintenance', writtenAfterResolution: false })).toBe('investigating');
    expect(publicUpdateStatus({ stage: null, writtenAfterResolution: false })).toBe('investigating');
    expect(publicUpdateStatus({ stage: null, writtenAfterResolution: true })).toBe('resolved');
  });
});

describe('when the page changes with nobody writing', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  it('is the next UTC midnight when no manual status is in force', () => {
    expect(nextChangeByTime(now, []).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });
  it('is when the first manual status in force ends, if before midnight; ended ones do not count', () => {
    const ends = [new Date('2026-03-02T12:00:00Z'), new Date('2026-03-02T11:00:00Z'), new Date('2026-03-02T09:00:00Z')];
    expect(nextChangeByTime(now, ends).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(nextChangeByTime(now, [new Date('2026-03-05T00:00:00Z')]).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });
});
