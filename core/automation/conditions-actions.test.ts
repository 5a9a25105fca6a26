import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, isWorkingTime, weekdayCalendar } from '../business-calendar.js';
import { type AutomationChange, type AutomationTicket, type ConditionContext, conditionHolds, ruleFires } from './evaluate.js';
import { audienceOf, planOf, referencesOf } from './plan.js';
import type { AutomationAction, AutomationCondition, AutomationRule } from './rules.js';

const ticket: AutomationTicket = {
  kind: 'incident',
  state: 'new',
  priority: 3,
  impact: 2,
  urgency: 2,
  serviceId: null,
  categoryId: null,
  teamId: null,
  assigneeId: null,
  channel: 'portal',
  requesterId: 'rita',
  title: 'Printer jams',
  description: null,
  requesterOrganisation: 'ACME Logistics',
};

// 09:00–17:00 Monday to Friday in Berlin (UTC+1 in December), Christmas Day off.
const office = weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }], ['2026-12-25']);
const calendars = new Map<string, BusinessCalendar>([['office', office]]);
const at = (iso: string): ConditionContext => ({ at: new Date(iso), calendars });
const inside: AutomationCondition = { op: 'working_hours', calendarId: 'office', inside: true };
const outside: AutomationCondition = { op: 'working_hours', calendarId: 'office', inside: false };

describe("the requester's organisation", () => {
  const acme: AutomationCondition = { op: 'in', field: 'organisation', values: ['acme logistics '] };
  it('matches the organisation on the profile, ignoring case and surrounding spaces', () => {
    expect(conditionHolds(acme, ticket)).toBe(true);
    expect(conditionHolds(acme, { ...ticket, requesterOrganisation: 'ACME Retail' })).toBe(false);
    expect(conditionHolds({ ...acme, op: 'not_in' }, ticket)).toBe(false);
  });
  it('treats a requester with no organisation (or a blank one) as "none set"', () => {
    const none: AutomationCondition = { op: 'in', field: 'organisation', values: [null] };
    expect(conditionHolds(none, { ...ticket, requesterOrganisation: null })).toBe(true);
    expect(conditionHolds(none, { ...ticket, requesterOrganisation: '  ' })).toBe(true);
    expect(conditionHolds(none, ticket)).toBe(false);
    expect(conditionHolds(acme, { ...ticket, requesterOrganisation: undefined })).toBe(false);
  });
});

describe('working hours by a business calendar', () => {
  it("holds inside the calendar's local hours and outside them, on weekends and holidays", () => {
    // Monday 7 December 2026, 09:30 in Berlin.
    expect(conditionHolds(inside, ticket, at('2026-12-07T08:30:00Z'))).toBe(true);
    expect(conditionHolds(outside, ticket, at('2026-12-07T08:30:00Z'))).toBe(false);
    // 08:30 in Berlin is before the office opens, though 07:30 UTC is a weekday morning.
    expect(conditionHolds(outside, ticket, at('2026-12-07T07:30:00Z'))).toBe(true);
    // 18:30 Berlin, a Saturday at noon, Christmas Day (a Friday) at noon.
    expect(conditionHolds(outside, ticket, at('2026-12-07T17:30:00Z'))).toBe(true);
    expect(conditionHolds(outside, ticket, at('2026-12-12T11:00:00Z'))).toBe(true);
    expect(conditionHolds(outside, ticket, at('2026-12-25T11:00:00Z'))).toBe(true);
  });
  it('never holds when the calendar is unknown or the moment is not given', () => {
    const gone: AutomationCondition = { op: 'working_hours', calendarId: 'deleted', inside: false };
    expect(conditionHolds(gone, ticket, at('2026-12-12T11:00:00Z'))).toBe(false);
    expect(conditionHolds(inside, ticket)).toBe(false);
    expect(conditionHolds(outside, ticket)).toBe(false);
  });
  it('at any moment exactly one of "inside" and "outside" holds, agreeing with the calendar', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        const context = { at: d, calendars };
        const a = conditionHolds(inside, ticket, context);
        expect(a).not.toBe(conditionHolds(outside, ticket, context));
        expect(a).toBe(isWorkingTime(office, d));
      }),
      // One moment of each kind, so both sides are always covered.
      { examples: [[new Date('2026-12-07T08:30:00Z')], [new Date('2026-12-12T11:00:00Z')]] },
    );
  });
  it('decides whether a rule fires, with the change’s moment', () => {
    const rule: AutomationRule = {
      id: 'r1',
      name: 'After hours',
      enabled: true,
      stopAfterMatch: false,
      trigger: { on: 'created' },
      conditions: [outside],
      actions: [{ type: 'page', escalationPolicyId: 'night', message: 'After hours' }],
    };
    const change = (iso: string): AutomationChange => ({
      before: null,
      after: ticket,
      events: [],
      origin: { firedBy: [] },
      context: at(iso),
    });
    expect(ruleFires(rule, change('2026-12-07T20:00:00Z'))).toBe(true);
    expect(ruleFires(rule, change('2026-12-07T10:00:00Z'))).toBe(false);
  });
});

describe('the new actions', () => {
  const actions: AutomationAction[] = [
    { type: 'assign', teamId: 'network' },
    { type: 'assign_fairly', strategy: 'least_loaded' },
    { type: 'link_problem', problemId: 'p1' },
    { type: 'link_problem', problemId: 'p2' },
    { type: 'page', escalationPolicyId: 'night', message: 'Wake up' },
    { type: 'webhook', webhookId: 'w1' },
    { type: 'webhook', webhookId: 'w1' },
  ];
  it('are gathered in order: fair assignment with its strategy, the last problem, every page, each webhook once', () => {
    const plan = planOf(actions);
    expect(plan.patch).toEqual({ teamId: 'network' });
    expect(plan.assignFairly).toEqual({ strategy: 'least_loaded' });
    expect(plan.problemIds).toEqual(['p2']);
    expect(plan.pages).toEqual([{ escalationPolicyId: 'night', message: 'Wake up' }]);
    expect(plan.webhookIds).toEqual(['w1']);
    expect(planOf([{ type: 'assign_fairly' }]).assignFairly).toEqual({ strategy: null });
  });
  it('name what they refer to by path, to be checked on save and before each run', () => {
    const refs = referencesOf([inside], actions);
    expect(refs.map((r) => [r.path, r.kind])).toEqual([
      ['conditions.0.calendarId', 'calendar'],
      ['actions.0.teamId', 'team'],
      ['actions.2.problemId', 'open_problem'],
      ['actions.3.problemId', 'open_problem'],
      ['actions.4.escalationPolicyId', 'escalation_policy'],
      ['actions.5.webhookId', 'webhook'],
      ['actions.6.webhookId', 'webhook'],
    ]);
  });
});

describe('the audience a rule tells', () => {
  it('counts each person notified or made a follower once', () => {
    expect(
      audienceOf([{ type: 'notify', userIds: ['a', 'b'] }, { type: 'add_followers', userIds: ['b', 'c'] }, { type: 'assign_fairly' }]),
    ).toEqual(['a', 'b', 'c']);
  });
  it('is never more than the people named, and never fewer than any one action names', () => {
    const person = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `u${i}`));
    const peopleAction = fc.record({
      type: fc.constantFrom('notify' as const, 'add_followers' as const),
      userIds: fc.array(person, { minLength: 1, maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(peopleAction, { maxLength: 4 }), (list) => {
        const audience = audienceOf(list);
        expect(audience.length).toBeLessThanOrEqual(list.reduce((n, a) => n + a.userIds.length, 0));
        for (const a of list) expect(audience.length).toBeGreaterThanOrEqual(new Set(a.userIds).size);
        expect(new Set(audience).size).toBe(audience.length);
      }),
    );
  });
});
