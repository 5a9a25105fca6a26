import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  componentsUnderMaintenance,
  type MaintenanceRecord,
  type MaintenanceState,
  type MaintenanceStep,
  maintenanceNewsText,
  phaseAt,
  planProblems,
  stepOutcome,
  stepTimes,
} from './maintenance.js';
import { componentStatus } from './status-page.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

/** A window planned at minute 0: starts after `lead`-ish minutes, lasts `length`. */
const windowArb = fc.record({
  startIn: fc.integer({ min: 1, max: 20_000 }),
  length: fc.integer({ min: 1, max: 10_000 }),
  leadMinutes: fc.integer({ min: 0, max: 30_000 }),
});
const record = (w: { startIn: number; length: number; leadMinutes: number }, state: MaintenanceState = 'scheduled'): MaintenanceRecord => ({
  startsAt: at(w.startIn),
  endsAt: at(w.startIn + w.length),
  leadMinutes: w.leadMinutes,
  state,
  createdAt: at(0),
  remindedFor: null,
});

/** Runs the timers that are due by `now` — in any order, each any number of times — as the worker would. */
function runTimers(window: MaintenanceRecord, firings: { step: MaintenanceStep }[], now: Date) {
  let current = window;
  const news: string[] = [];
  const due = stepTimes(window).filter((s) => s.at.getTime() <= now.getTime());
  for (const f of firings) {
    const timer = due.find((d) => d.step === f.step);
    if (!timer) continue;
    const outcome = stepOutcome(current, timer.step, timer.at, now);
    if (outcome) {
      current = { ...current, state: outcome.state, remindedFor: outcome.remindedFor ?? current.remindedFor };
      news.push(outcome.news);
    }
  }
  // The worker runs every due timer at least once.
  for (const timer of due) {
    const outcome = stepOutcome(current, timer.step, timer.at, now);
    if (outcome) {
      current = { ...current, state: outcome.state, remindedFor: outcome.remindedFor ?? current.remindedFor };
      news.push(outcome.news);
    }
  }
  return { state: current.state, news };
}

describe('a maintenance window’s timers', () => {
  it('bring the window to the phase its times say, and start and complete it at most once, whatever order or how often they run', () => {
    fc.assert(
      fc.property(
        windowArb,
        fc.integer({ min: 0, max: 40_000 }),
        fc.array(fc.record({ step: fc.constantFrom<MaintenanceStep>('remind', 'start', 'complete') }), { maxLength: 12 }),
        (w, nowMinute, firings) => {
          const window = record(w);
          const now = at(nowMinute);
          const { state, news } = runTimers(window, firings, now);
          expect(state).toBe(phaseAt({ ...window, cancelled: false }, now));
          expect(news.filter((n) => n === 'in_progress').length).toBeLessThanOrEqual(1);
          expect(news.filter((n) => n === 'completed').length).toBe(state === 'completed' ? 1 : 0);
          expect(news.filter((n) => n === 'reminder').length).toBeLessThanOrEqual(1);
          // Timers first run after the window was over (the server was down through it): it is
          // completed, and no start is announced, whichever of them runs first.
          if (now.getTime() >= window.endsAt.getTime()) expect(news).not.toContain('in_progress');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('put its components under maintenance during the window and give them back after it', () => {
    fc.assert(
      fc.property(windowArb, fc.integer({ min: 0, max: 40_000 }), (w, nowMinute) => {
        const window = record(w);
        const now = at(nowMinute);
        const { state } = runTimers(window, [], now);
        const under = componentsUnderMaintenance([{ state, componentIds: ['mail'] }]);
        const status = componentStatus({ openIncidents: [], maintenanceInProgress: under.has('mail'), override: null, now });
        const during = now >= window.startsAt && now < window.endsAt;
        expect(status).toBe(during ? 'under_maintenance' : 'operational');
        // An outage during maintenance still shows as the outage: people need to know it is down.
        const withOutage = componentStatus({
          openIncidents: [{ priority: 1, major: false, kind: 'incident' }],
          maintenanceInProgress: under.has('mail'),
          override: null,
          now,
        });
        expect(withOutage).toBe('major_outage');
      }),
    );
  });

  it('keep a component under maintenance while any of several overlapping windows is going on', () => {
    fc.assert(
      fc.property(fc.array(windowArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 40_000 }), (ws, nowMinute) => {
        const now = at(nowMinute);
        const windows = ws.map((w) => ({ state: runTimers(record(w), [], now).state, componentIds: ['mail'] }));
        const anyGoingOn = ws.some((w) => now >= at(w.startIn) && now < at(w.startIn + w.length));
        expect(componentsUnderMaintenance(windows).has('mail')).toBe(anyGoingOn);
      }),
    );
  });

  it('do nothing once the window moved (a stale timer) or was cancelled', () => {
    const window = record({ startIn: 600, length: 60, leadMinutes: 120 });
    expect(stepOutcome(window, 'start', at(600), at(600))).toEqual({ state: 'in_progress', news: 'in_progress' });
    expect(stepOutcome({ ...window, startsAt: at(700), endsAt: at(760) }, 'start', at(600), at(600))).toBeNull();
    expect(stepOutcome({ ...window, state: 'cancelled' }, 'start', at(600), at(600))).toBeNull();
    expect(stepOutcome({ ...window, state: 'cancelled' }, 'complete', at(660), at(660))).toBeNull();
    expect(stepOutcome({ ...window, state: 'in_progress' }, 'remind', at(480), at(600))).toBeNull();
    // Run late, once the window began: no reminder of a start that happened.
    expect(stepOutcome(window, 'remind', at(480), at(601))).toBeNull();
    expect(stepOutcome(window, 'remind', at(480), at(480))).toMatchObject({ news: 'reminder' });
  });

  it('send no reminder when the lead time had already begun at the announcement, nor when it is 0', () => {
    expect(stepTimes(record({ startIn: 60, length: 30, leadMinutes: 1440 })).map((s) => s.step)).toEqual(['start', 'complete']);
    expect(stepTimes(record({ startIn: 3000, length: 30, leadMinutes: 0 })).map((s) => s.step)).toEqual(['start', 'complete']);
    expect(stepTimes(record({ startIn: 3000, length: 30, leadMinutes: 1440 }))).toEqual([
      { step: 'remind', at: at(3000 - 1440) },
      { step: 'start', at: at(3000) },
      { step: 'complete', at: at(3030) },
    ]);
  });
});

describe('a maintenance plan', () => {
  const now = at(0);
  it('must end after it starts and start in the future, naming the field', () => {
    expect(planProblems({ startsAt: at(60), endsAt: at(30), leadMinutes: 0 }, { now, state: null })).toEqual([
      { field: 'endsAt', message: 'must be after the start' },
    ]);
    expect(planProblems({ startsAt: at(-5), endsAt: at(30), leadMinutes: 0 }, { now, state: null })).toEqual([
      { field: 'startsAt', message: 'must be in the future' },
    ]);
    expect(planProblems({ startsAt: at(60), endsAt: at(120), leadMinutes: 1440 }, { now, state: null })).toEqual([]);
  });

  it('of a window in progress keeps its start and may only end in the future', () => {
    const previousStart = at(-30);
    expect(planProblems({ startsAt: at(-30), endsAt: at(90), leadMinutes: 0 }, { now, state: 'in_progress', previousStart })).toEqual([]);
    expect(
      planProblems({ startsAt: at(-10), endsAt: at(-1), leadMinutes: 0 }, { now, state: 'in_progress', previousStart }).map((p) => p.field),
    ).toEqual(['startsAt', 'endsAt']);
  });

  it('is refused whenever it ends before it starts, wherever it lies', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (start, back) => {
        const problems = planProblems({ startsAt: at(start), endsAt: at(start - back), leadMinutes: 60 }, { now, state: null });
        expect(problems.map((p) => p.field)).toContain('endsAt');
      }),
    );
  });
});

describe('the words of maintenance news', () => {
  it('keep what the author wrote as text (the page, feeds and mails escape it) and say when, in UTC', () => {
    const text = maintenanceNewsText('scheduled', {
      description: 'Mail <script>alert(1)</script> upgrade',
      startsAt: at(60),
      endsAt: at(120),
      leadMinutes: 1440,
    });
    expect(text).toBe('Mail <script>alert(1)</script> upgrade\n\nFrom 2026-12-01 01:00 UTC to 2026-12-01 02:00 UTC.');
    expect(maintenanceNewsText('reminder', { description: '', startsAt: at(60), endsAt: at(120), leadMinutes: 1440 })).toMatch(
      /^Reminder: this maintenance starts in 1 day\./,
    );
  });
});
