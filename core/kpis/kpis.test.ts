import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weekdayCalendar } from '../business-calendar.js';
import { TICKET_STATES } from '../vocabulary.js';
import { statsOf, timeToAcknowledge, timeToResolve } from './durations.js';
import { type KpiTicket, matchesFilter } from './kpi-ticket.js';
import { majorIncidents, satisfaction } from './people.js';
import { firstContactResolution, isFirstContactResolution, reassignmentRate, slaCompliance, slaOutcome } from './rates.js';
import { backlogAge, createdVsResolved, daysOf, openWork } from './volume.js';

const BASE = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const period = { from: new Date(BASE), to: new Date(BASE + 30 * 24 * HOUR) };
const office = weekdayCalendar(
  'Europe/Berlin',
  [
    { start: 8 * 60, end: 12 * 60 },
    { start: 13 * 60, end: 17 * 60 },
  ],
  ['2026-03-09'],
);

function ticket(overrides: Partial<KpiTicket> = {}): KpiTicket {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 'INC0000001',
    title: 'Mail is down',
    kind: 'incident',
    state: 'resolved',
    priority: 3,
    teamId: null,
    serviceId: null,
    categoryId: null,
    openedAt: new Date(BASE + HOUR),
    firstResponseAt: null,
    resolvedAt: new Date(BASE + 5 * HOUR),
    reassignmentCount: 0,
    reopenCount: 0,
    staffReplyCount: 0,
    slaPolicyId: null,
    slaBreached: false,
    majorSince: null,
    rating: null,
    ...overrides,
  };
}

const arbitraryTicket = fc
  .record({
    state: fc.constantFrom(...TICKET_STATES),
    opened: fc.integer({ min: 0, max: 29 * 24 * 60 }),
    took: fc.integer({ min: 0, max: 20 * 24 * 60 }),
    reassignmentCount: fc.nat(3),
    reopenCount: fc.nat(3),
    staffReplyCount: fc.nat(3),
    policy: fc.boolean(),
    breached: fc.boolean(),
  })
  .map((g) =>
    ticket({
      state: g.state,
      openedAt: new Date(BASE + g.opened * 60_000),
      firstResponseAt: new Date(BASE + (g.opened + Math.floor(g.took / 2)) * 60_000),
      resolvedAt: g.state === 'resolved' || g.state === 'closed' ? new Date(BASE + (g.opened + g.took) * 60_000) : null,
      reassignmentCount: g.reassignmentCount,
      reopenCount: g.reopenCount,
      staffReplyCount: g.staffReplyCount,
      slaPolicyId: g.policy ? 'policy' : null,
      slaBreached: g.breached,
    }),
  );

describe('KPI definitions', () => {
  it('never count a ticket as both met and breached: met + breached is every ticket with an SLA outcome', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTicket), (tickets) => {
        const sla = slaCompliance(period, tickets);
        expect(sla.count + sla.breached).toBe(sla.total);
        for (const t of tickets) expect(['met', 'breached', 'none']).toContain(slaOutcome(t));
        expect(sla.rate === null || (sla.rate >= 0 && sla.rate <= 1)).toBe(true);
      }),
    );
  });

  it('make the time to resolve of one ticket its own duration, its mean and its median', () => {
    fc.assert(
      fc.property(arbitraryTicket, (t) => {
        const resolved = { ...t, state: 'resolved' as const, resolvedAt: t.resolvedAt ?? new Date(t.openedAt.getTime() + HOUR) };
        const kpi = timeToResolve({ from: new Date(0), to: new Date(BASE + 365 * 24 * HOUR) }, [resolved], () => null);
        const own = resolved.resolvedAt.getTime() - resolved.openedAt.getTime();
        expect(kpi).toEqual({ count: 1, meanMs: own, medianMs: own, business: { count: 1, meanMs: own, medianMs: own } });
      }),
    );
  });

  it('count business time no longer than wall-clock time, for resolving and acknowledging', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTicket, { minLength: 1 }), (tickets) => {
        for (const kpi of [timeToResolve(period, tickets, () => office), timeToAcknowledge(period, tickets, () => office)]) {
          expect(kpi.business.count).toBe(kpi.count);
          if (kpi.meanMs !== null) expect(kpi.business.meanMs ?? 0).toBeLessThanOrEqual(kpi.meanMs + 1e-6);
          if (kpi.medianMs !== null) expect(kpi.business.medianMs ?? 0).toBeLessThanOrEqual(kpi.medianMs + 1e-6);
        }
      }),
    );
  });

  it('count a weekend in business hours as nothing: resolved Friday 16:00 to Monday 09:00 is two office hours', () => {
    const t = ticket({ openedAt: new Date('2026-03-06T15:00:00Z'), resolvedAt: new Date('2026-03-16T08:00:00Z') });
    const kpi = timeToResolve(period, [t], () => weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }]));
    // Friday 16:00–17:00 Berlin, then the whole week of 9–13 March (5 × 8 h), then Monday 16 March 09:00: nothing more.
    expect(kpi.business.meanMs).toBe((1 + 40) * HOUR);
    expect(kpi.meanMs).toBe(t.resolvedAt!.getTime() - t.openedAt.getTime());
  });

  it('take the median as the middle value, or the mean of the two middle ones', () => {
    expect(statsOf([5, 1, 3])).toEqual({ count: 3, meanMs: 3, medianMs: 3 });
    expect(statsOf([4, 1, 3, 10])).toEqual({ count: 4, meanMs: 4.5, medianMs: 3.5 });
    expect(statsOf([])).toEqual({ count: 0, meanMs: null, medianMs: null });
  });

  it('resolve at first contact only without reassignment, without reopening and with at most one public staff reply', () => {
    expect(isFirstContactResolution({ reassignmentCount: 0, reopenCount: 0, staffReplyCount: 1 })).toBe(true);
    expect(isFirstContactResolution({ reassignmentCount: 0, reopenCount: 0, staffReplyCount: 2 })).toBe(false);
    expect(isFirstContactResolution({ reassignmentCount: 1, reopenCount: 0, staffReplyCount: 0 })).toBe(false);
    expect(isFirstContactResolution({ reassignmentCount: 0, reopenCount: 1, staffReplyCount: 0 })).toBe(false);
    // Only tickets resolved in the period count: an open ticket is not a first-contact failure yet.
    const rate = firstContactResolution(period, [
      ticket(),
      ticket({ state: 'in_progress', resolvedAt: null }),
      ticket({ staffReplyCount: 4 }),
    ]);
    expect(rate).toEqual({ total: 2, count: 1, rate: 0.5 });
    expect(reassignmentRate(period, [])).toEqual({ total: 0, count: 0, rate: null });
  });

  it('count open work and backlog age over open tickets only, in buckets that add up', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTicket), (tickets) => {
        const open = tickets.filter((t) => ['new', 'assigned', 'in_progress', 'on_hold'].includes(t.state)).length;
        expect(openWork(tickets).total).toBe(open);
        const age = backlogAge(tickets, new Date(BASE + 40 * 24 * HOUR));
        expect(age.total).toBe(open);
        expect(age.buckets.reduce((s, b) => s + b.count, 0)).toBe(open);
      }),
    );
  });

  it('count each created and each resolved ticket of the period on exactly one day, whatever the time zone', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryTicket),
        fc.constantFrom('UTC', 'Europe/London', 'America/Los_Angeles', 'Pacific/Chatham'),
        (tickets, zone) => {
          const days = createdVsResolved(period, tickets, zone).days;
          const inPeriod = (d: Date | null) => d !== null && d >= period.from && d < period.to;
          expect(days.reduce((s, d) => s + d.created, 0)).toBe(tickets.filter((t) => inPeriod(t.openedAt)).length);
          expect(days.reduce((s, d) => s + d.resolved, 0)).toBe(
            tickets.filter((t) => (t.state === 'resolved' || t.state === 'closed') && inPeriod(t.resolvedAt)).length,
          );
          expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
        },
      ),
    );
  });

  it('list every local day of a period across a DST change once', () => {
    const days = daysOf({ from: new Date('2026-03-28T00:00:00Z'), to: new Date('2026-03-30T23:00:00Z') }, 'Europe/London');
    expect(days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
  });

  it('read satisfaction from ratings given in the period, and major incidents with their time to resolve', () => {
    const rated = [4, 5, 2].map((rating, i) => ticket({ id: `t${i}`, rating: { rating, answeredAt: new Date(BASE + 10 * HOUR) } }));
    expect(satisfaction(period, rated)).toMatchObject({ count: 3, mean: 11 / 3, satisfiedRate: 2 / 3 });
    const major = ticket({ majorSince: new Date(BASE + 2 * HOUR) });
    const stillOpen = ticket({ id: 'open', state: 'in_progress', resolvedAt: null, majorSince: new Date(BASE + 3 * HOUR) });
    const kpi = majorIncidents(period, [major, stillOpen, ticket({ id: 'not major' })]);
    expect(kpi).toMatchObject({ count: 2, resolved: 1, meanTimeToResolveMs: 4 * HOUR });
    expect(kpi.items.map((i) => i.timeToResolveMs)).toEqual([null, 4 * HOUR]);
  });
});

describe('KPI tables as CSV', () => {
  it('quote separators and keep a title from running as a spreadsheet formula', async () => {
    const { kpiTable, toCsv } = await import('./csv.js');
    const major = ticket({ title: '=HYPERLINK("http://x","Mail, down")', number: 'INC0000042', majorSince: new Date(BASE + 2 * HOUR) });
    const csv = toCsv(kpiTable('major-incidents', majorIncidents(period, [major])));
    expect(csv.split('\r\n')[1]).toBe(
      `INC0000042,"'=HYPERLINK(""http://x"",""Mail, down"")",3,2026-03-01T02:00:00.000Z,2026-03-01T05:00:00.000Z,4`,
    );
  });
});

describe('which kinds a report counts', () => {
  it('leaves problems and changes out unless they are asked for by name, and counts every other kind', () => {
    const everyone = { teamIds: null };
    expect(matchesFilter(everyone, ticket({ kind: 'incident' }))).toBe(true);
    expect(matchesFilter(everyone, ticket({ kind: 'service_request' }))).toBe(true);
    expect(matchesFilter(everyone, ticket({ kind: 'disturbance' }))).toBe(true);
    expect(matchesFilter(everyone, ticket({ kind: 'problem' }))).toBe(false);
    expect(matchesFilter({ teamIds: null, kind: ['problem'] }, ticket({ kind: 'problem' }))).toBe(true);
    expect(matchesFilter({ teamIds: null, kind: ['problem'] }, ticket({ kind: 'incident' }))).toBe(false);
    // A change is planned work: its window and approval wait are not response times.
    expect(matchesFilter(everyone, ticket({ kind: 'change' }))).toBe(false);
    expect(matchesFilter({ teamIds: null, kind: ['change'] }, ticket({ kind: 'change' }))).toBe(true);
  });
});
