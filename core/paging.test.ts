import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REQUESTER_P1_PAGING,
  decideAutoPage,
  type EscalationTarget,
  nextPageStep,
  type PageStep,
  pageLevels,
  ROLE_PAGE_TIMEOUT_MINUTES,
  shouldAutoPage,
  totalPageSteps,
  validateEscalationPolicy,
  validateRequesterP1Paging,
} from './paging.js';

const policy = (levels: number, repeat: number) => ({
  levels: Array.from({ length: levels }, (_, i) => ({ targets: [{ type: 'user' as const, id: `u${i}` }], timeoutMinutes: 5 })),
  repeat,
});

describe('escalation steps', () => {
  it('goes level by level, repeats the whole policy, then is exhausted', () => {
    const p = policy(2, 1);
    const steps: (PageStep | 'exhausted')[] = [];
    let step: PageStep | 'exhausted' = { level: 0, round: 0 };
    while (step !== 'exhausted') {
      step = nextPageStep(p, step);
      steps.push(step);
    }
    expect(steps).toEqual([{ level: 1, round: 0 }, { level: 0, round: 1 }, { level: 1, round: 1 }, 'exhausted']);
  });

  it('takes exactly levels × (repeat + 1) steps before exhaustion, for any policy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 9 }), (levels, repeat) => {
        const p = policy(levels, repeat);
        let step: PageStep | 'exhausted' = { level: 0, round: 0 };
        let paged = 1;
        for (;;) {
          step = nextPageStep(p, step);
          if (step === 'exhausted') break;
          paged++;
        }
        return paged === totalPageSteps(p);
      }),
    );
  });

  it('names the fields of a policy that cannot page anyone', () => {
    expect(validateEscalationPolicy({ levels: [], repeat: 0 }).map((e) => e.field)).toEqual(['levels']);
    expect(validateEscalationPolicy({ levels: [{ targets: [], timeoutMinutes: 0 }], repeat: -1 }).map((e) => e.field)).toEqual([
      'levels.0.targets',
      'levels.0.timeoutMinutes',
      'repeat',
    ]);
    expect(validateEscalationPolicy(policy(1, 0))).toEqual([]);
  });

  it('pages automatically only for incidents that become P1', () => {
    expect(shouldAutoPage({ kind: 'incident', priority: 1 }, null)).toBe(true);
    expect(shouldAutoPage({ kind: 'incident', priority: 1 }, 2)).toBe(true);
    expect(shouldAutoPage({ kind: 'incident', priority: 1 }, 1)).toBe(false);
    expect(shouldAutoPage({ kind: 'incident', priority: 2 }, null)).toBe(false);
    expect(shouldAutoPage({ kind: 'service_request', priority: 1 }, null)).toBe(false);
  });
});

describe('a response-role page', () => {
  const policy = {
    levels: [
      { targets: [{ type: 'schedule' as const, id: 's1' }], timeoutMinutes: 10 },
      { targets: [{ type: 'team' as const, id: 't1' }], timeoutMinutes: 15 },
    ],
    repeat: 1,
  };
  it('reaches the holder alone first, then escalates through the ticket’s policy', () => {
    const levels = pageLevels(policy, 'holder');
    expect(levels.levels[0]).toEqual({ targets: [{ type: 'user', id: 'holder' }], timeoutMinutes: ROLE_PAGE_TIMEOUT_MINUTES });
    expect(levels.levels.slice(1)).toEqual(policy.levels);
    expect(nextPageStep(levels, { level: 0, round: 0 })).toEqual({ level: 1, round: 0 });
    expect(pageLevels(policy, null)).toEqual(policy);
  });
  it('is exhausted after the holder when the ticket has no policy', () => {
    const alone = pageLevels(null, 'holder');
    expect(alone.levels).toHaveLength(1);
    expect(nextPageStep(alone, { level: 0, round: 0 })).toBe('exhausted');
  });
  it('always takes one step more than its policy: the holder, once per round', () => {
    const level = fc.record({
      targets: fc.constant<EscalationTarget[]>([{ type: 'team', id: 't' }]),
      timeoutMinutes: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(level, { maxLength: 5 }), fc.integer({ min: 0, max: 3 }), (levels, repeat) => {
        const withHolder = pageLevels({ levels, repeat }, 'holder');
        expect(totalPageSteps(withHolder)).toBe((levels.length + 1) * (repeat + 1));
      }),
    );
  });
});

describe('paging a P1 a requester reported', () => {
  const p1 = { kind: 'incident', priority: 1 };
  const now = new Date('2026-03-02T08:00:00Z');

  it('waits for staff (paging anyway after the delay) when the admin says so; staff and alerts page at once', () => {
    expect(decideAutoPage(p1, null, 'requester', DEFAULT_REQUESTER_P1_PAGING, now)).toEqual({
      action: 'hold',
      pageAt: new Date('2026-03-02T08:15:00Z'),
    });
    expect(decideAutoPage(p1, null, 'requester', { waitForStaff: true, pageAfterMinutes: null }, now)).toEqual({
      action: 'hold',
      pageAt: null,
    });
    expect(decideAutoPage(p1, null, 'requester', { waitForStaff: false, pageAfterMinutes: null }, now)).toEqual({ action: 'page' });
    expect(decideAutoPage(p1, null, 'staff', DEFAULT_REQUESTER_P1_PAGING, now)).toEqual({ action: 'page' });
    expect(decideAutoPage(p1, null, 'alert', DEFAULT_REQUESTER_P1_PAGING, now)).toEqual({ action: 'page' });
    expect(decideAutoPage({ kind: 'incident', priority: 2 }, null, 'staff', DEFAULT_REQUESTER_P1_PAGING, now)).toEqual({ action: 'none' });
    expect(decideAutoPage(p1, 1, 'staff', DEFAULT_REQUESTER_P1_PAGING, now)).toEqual({ action: 'none' });
  });

  it('refuses a delay that is not a whole number of minutes in a day', () => {
    expect(validateRequesterP1Paging({ waitForStaff: true, pageAfterMinutes: 0 })[0].field).toBe('pageAfterMinutes');
    expect(validateRequesterP1Paging({ waitForStaff: true, pageAfterMinutes: 2.5 })).toHaveLength(1);
    expect(validateRequesterP1Paging({ waitForStaff: true, pageAfterMinutes: 30 })).toEqual([]);
  });
});
