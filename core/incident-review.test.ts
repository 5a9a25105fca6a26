import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar, weekdayCalendar } from './business-calendar.js';
import {
  canMoveReview,
  dueDateProblem,
  escapeMarkdown,
  formatDuration,
  type IncidentMomentFacts,
  incidentDurations,
  isActionItemOverdue,
  keyMoments,
  reminderTimes,
  reviewMoveProblem,
  seedTimeline,
} from './incident-review.js';

const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);
const MIN = 60_000;

/** The VPN outage of the story: alert 09:02, report 09:03, declared 09:07, ack 09:08, mitigated 10:15, resolved 10:40. */
const vpn: IncidentMomentFacts = {
  reportedAt: at('09:03'),
  alertAts: [at('09:02'), at('09:20')],
  majorSince: at('09:07'),
  pageAcknowledgedAts: [at('09:08')],
  firstResponseAt: at('09:12'),
  mitigationUpdateAts: [at('10:15'), at('10:30')],
  resolvedAt: at('10:40'),
};
const office = weekdayCalendar('UTC', [{ start: 9 * 60 + 30, end: 17 * 60 }]);

describe('key moments', () => {
  it('finds each moment of the VPN outage', () => {
    const byMoment = Object.fromEntries(keyMoments(vpn).map((m) => [m.moment, m.at?.toISOString().slice(11, 16)]));
    expect(byMoment).toEqual({
      detected: '09:02',
      reported: '09:03',
      declared: '09:07',
      acknowledged: '09:08',
      mitigated: '10:15',
      resolved: '10:40',
    });
  });

  it('says so when there is no mitigation, no declaration and no resolution', () => {
    const moments = keyMoments({ ...vpn, alertAts: [], majorSince: null, mitigationUpdateAts: [], resolvedAt: null });
    expect(moments.find((m) => m.moment === 'detected')?.at).toEqual(at('09:03'));
    expect(moments.find((m) => m.moment === 'mitigated')).toMatchObject({ at: null, missing: expect.stringContaining('Monitoring') });
    expect(moments.find((m) => m.moment === 'declared')?.missing).toContain('never declared');
    expect(moments.find((m) => m.moment === 'resolved')?.missing).toContain('not resolved');
  });

  it('takes the first response when no page was acknowledged', () => {
    expect(keyMoments({ ...vpn, pageAcknowledgedAts: [] }).find((m) => m.moment === 'acknowledged')?.at).toEqual(at('09:12'));
  });
});

describe('durations', () => {
  it('computes wall-clock and business time from detection', () => {
    const d = Object.fromEntries(incidentDurations(vpn, office).map((x) => [x.kind, x]));
    expect(d.detect).toMatchObject({ wallMs: 1 * MIN, businessMs: 0 });
    expect(d.acknowledge).toMatchObject({ wallMs: 6 * MIN, businessMs: 0 });
    expect(d.declare?.wallMs).toBe(5 * MIN);
    expect(d.mitigate).toMatchObject({ wallMs: 73 * MIN, businessMs: 45 * MIN });
    expect(d.resolve).toMatchObject({ wallMs: 98 * MIN, businessMs: 70 * MIN });
  });

  it('leaves a duration empty when its moment is missing', () => {
    const d = incidentDurations({ ...vpn, mitigationUpdateAts: [] }, office).find((x) => x.kind === 'mitigate');
    expect(d).toMatchObject({ wallMs: null, businessMs: null });
  });

  it('formats durations in short words', () => {
    expect(formatDuration(98 * MIN)).toBe('1 h 38 min');
    expect(formatDuration(4 * MIN)).toBe('4 min');
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration((2 * 24 * 60 + 3 * 60 + 5) * MIN)).toBe('2 d 3 h');
  });

  const base = Date.UTC(2026, 0, 5);
  const offset = fc.integer({ min: -2 * 3600_000, max: 20 * 24 * 3600_000 });
  const maybe = fc.option(offset, { nil: null });
  const facts = fc
    .record({
      reported: fc.integer({ min: 0, max: 5 * 24 * 3600_000 }),
      alerts: fc.array(offset, { maxLength: 3 }),
      major: maybe,
      acks: fc.array(offset, { maxLength: 2 }),
      first: maybe,
      mitigations: fc.array(offset, { maxLength: 2 }),
      resolved: maybe,
    })
    .map(
      (r): IncidentMomentFacts => ({
        reportedAt: new Date(base + r.reported),
        alertAts: r.alerts.map((o) => new Date(base + o)),
        majorSince: r.major === null ? null : new Date(base + r.major),
        pageAcknowledgedAts: r.acks.map((o) => new Date(base + o)),
        firstResponseAt: r.first === null ? null : new Date(base + r.first),
        mitigationUpdateAts: r.mitigations.map((o) => new Date(base + o)),
        resolvedAt: r.resolved === null ? null : new Date(base + r.resolved),
      }),
    );
  const calendars = fc.constantFrom(office, alwaysOpenCalendar('UTC'), weekdayCalendar('Europe/Berlin', [{ start: 540, end: 1020 }]));

  it('never negative, business never more than wall-clock (property)', () => {
    fc.assert(
      fc.property(facts, calendars, (f, cal) => {
        for (const d of incidentDurations(f, cal)) {
          if (d.wallMs === null) continue;
          expect(d.wallMs).toBeGreaterThanOrEqual(0);
          expect(d.businessMs).toBeGreaterThanOrEqual(0);
          expect(d.businessMs).toBeLessThanOrEqual(d.wallMs);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('monotone: a later resolution never shortens time to resolve; an earlier alert never shortens any duration (property)', () => {
    fc.assert(
      fc.property(facts, calendars, fc.integer({ min: 0, max: 3 * 24 * 3600_000 }), (f, cal, later) => {
        if (f.resolvedAt === null) return;
        const before = incidentDurations(f, cal).find((d) => d.kind === 'resolve');
        const after = incidentDurations({ ...f, resolvedAt: new Date(f.resolvedAt.getTime() + later) }, cal).find(
          (d) => d.kind === 'resolve',
        );
        expect(after?.wallMs).toBeGreaterThanOrEqual(before?.wallMs ?? 0);
        expect(after?.businessMs).toBeGreaterThanOrEqual(before?.businessMs ?? 0);
        const earlierAlert = new Date(Math.min(f.reportedAt.getTime(), ...f.alertAts.map((a) => a.getTime())) - later);
        const withAlert = incidentDurations({ ...f, alertAts: [...f.alertAts, earlierAlert] }, cal);
        incidentDurations(f, cal).forEach((d, i) => {
          if (d.wallMs !== null) expect(withAlert[i]?.wallMs).toBeGreaterThanOrEqual(d.wallMs);
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('review states', () => {
  it('goes draft → in review → published, back to draft from review, never out of published', () => {
    expect(canMoveReview('draft', 'in_review')).toBe(true);
    expect(canMoveReview('in_review', 'published')).toBe(true);
    expect(canMoveReview('in_review', 'draft')).toBe(true);
    expect(canMoveReview('draft', 'published')).toBe(false);
    expect(reviewMoveProblem('draft', 'published')).toBe('a review goes from Draft to In review, not to Published');
    expect(reviewMoveProblem('published', 'draft')).toContain('final');
  });
});

describe('Markdown', () => {
  it('escapes user text so it shows as written', () => {
    expect(escapeMarkdown('# Heads [click](javascript:alert(1)) <script>x</script> *bold*')).toBe(
      '\\# Heads \\[click\\]\\(javascript:alert\\(1\\)\\) &lt;script&gt;x&lt;/script&gt; \\*bold\\*',
    );
  });

  it('seeds the timeline in time order', () => {
    expect(
      seedTimeline([
        { at: at('09:07'), text: 'Declared major' },
        { at: at('09:02'), text: 'Alert: vpn_cert_expiry' },
      ]),
    ).toBe('- 2026-03-10 09:02 UTC — Alert: vpn\\_cert\\_expiry\n- 2026-03-10 09:07 UTC — Declared major');
  });
});

describe('action items', () => {
  const now = new Date('2026-03-10T23:30:00Z');
  it('refuses a due date in the past, in the organisation time zone', () => {
    expect(dueDateProblem('2026-03-09', now, 'UTC')).toContain('must not be in the past');
    expect(dueDateProblem('2026-03-10', now, 'UTC')).toBeNull();
    // 00:30 on the 11th in Berlin: the 10th is already past there.
    expect(dueDateProblem('2026-03-10', now, 'Europe/Berlin')).toContain('2026-03-11');
  });

  it('is overdue only when open and its day has passed', () => {
    expect(isActionItemOverdue({ state: 'open', dueOn: '2026-03-09' }, now, 'UTC')).toBe(true);
    expect(isActionItemOverdue({ state: 'done', dueOn: '2026-03-09' }, now, 'UTC')).toBe(false);
    expect(isActionItemOverdue({ state: 'open', dueOn: '2026-03-10' }, now, 'UTC')).toBe(false);
  });

  it('reminds two days before and on the day at 09:00 local, skipping what is past', () => {
    const times = reminderTimes('2026-03-20', 'Europe/Berlin', now);
    expect(times.map((r) => [r.kind, r.at.toISOString()])).toEqual([
      ['before', '2026-03-18T08:00:00.000Z'],
      ['due', '2026-03-20T08:00:00.000Z'],
    ]);
    expect(reminderTimes('2026-03-12', 'UTC', now).map((r) => r.kind)).toEqual(['due']);
  });
});
