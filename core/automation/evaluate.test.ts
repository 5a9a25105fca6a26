import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutomationChange, type AutomationTicket, evaluateRules, ruleFires } from './evaluate.js';
import { planOf, referencesOf } from './plan.js';
import { AUTOMATION_TRIGGERS, type AutomationRule, MAX_AUTOMATION_DEPTH } from './rules.js';
import { refusedPattern, refusedPatternsOf, textMatches } from './text-match.js';

const ticket: AutomationTicket = {
  kind: 'incident',
  state: 'new',
  priority: 2,
  impact: 2,
  urgency: 1,
  serviceId: 'payslips',
  serviceLineage: ['payroll'],
  categoryId: null,
  teamId: null,
  assigneeId: null,
  channel: 'portal',
  requesterId: 'rita',
  title: 'Payslip missing',
  description: 'My March payslip is not in the portal since the migration',
};

const rule = (over: Partial<AutomationRule> = {}): AutomationRule => ({
  id: 'r1',
  name: 'Payroll first',
  enabled: true,
  stopAfterMatch: false,
  trigger: { on: 'created' },
  conditions: [],
  actions: [{ type: 'assign', teamId: 'team-payroll' }],
  ...over,
});

const created = (t: AutomationTicket = ticket): AutomationChange => ({
  before: null,
  after: t,
  events: [{ type: 'created', internal: false, actorId: t.requesterId }],
  origin: { firedBy: [] },
});

describe('a rule fires', () => {
  it('when a ticket on a component of the service, with the priority named, is created', () => {
    const payroll = rule({
      conditions: [
        { op: 'in', field: 'service', values: ['payroll'] },
        { op: 'in', field: 'priority', values: [1, 2] },
      ],
    });
    expect(ruleFires(payroll, created())).toBe(true);
    expect(ruleFires(payroll, created({ ...ticket, priority: 3 }))).toBe(false);
    expect(ruleFires(payroll, created({ ...ticket, serviceId: 'vpn', serviceLineage: [] }))).toBe(false);
    // Created is not updated: the same ticket changed later does not set off a "created" rule.
    expect(ruleFires(payroll, { ...created(), before: ticket })).toBe(false);
    expect(ruleFires({ ...payroll, enabled: false }, created())).toBe(false);
  });

  it('on a field changed from and to the values named, and only then', () => {
    const toP1 = rule({ trigger: { on: 'field_changed', field: 'priority', to: 1 } });
    const raised = { ...created(), before: ticket, after: { ...ticket, priority: 1 } };
    expect(ruleFires(toP1, raised)).toBe(true);
    expect(ruleFires(toP1, { ...raised, after: { ...ticket, priority: 3 } })).toBe(false);
    expect(ruleFires(rule({ trigger: { on: 'field_changed', field: 'priority', from: 3, to: 1 } }), raised)).toBe(false);
    // Unchanged is not changed, even to the value named.
    expect(ruleFires(rule({ trigger: { on: 'field_changed', field: 'priority', to: 2 } }), { ...raised, after: ticket })).toBe(false);
    const unassigned = rule({ trigger: { on: 'field_changed', field: 'teamId', to: null } });
    expect(ruleFires(unassigned, { ...raised, before: { ...ticket, teamId: 't' }, after: ticket })).toBe(true);
  });

  it('on a public reply from the requester, not on a work note or the desk’s reply', () => {
    const replied = rule({ trigger: { on: 'requester_replied' } });
    const reply = (actorId: string, internal = false): AutomationChange => ({
      before: ticket,
      after: ticket,
      events: [{ type: 'comment', internal, actorId }],
      origin: { firedBy: [] },
    });
    expect(ruleFires(replied, reply('rita'))).toBe(true);
    expect(ruleFires(replied, reply('ann'))).toBe(false);
    expect(ruleFires(replied, { ...reply('rita'), events: [{ type: 'work_note', internal: true, actorId: 'rita' }] })).toBe(false);
  });

  it('on an SLA warning or breach the timers recorded, each only on its own', () => {
    const note = (type: string): AutomationChange => ({
      before: ticket,
      after: ticket,
      events: [{ type, internal: true, actorId: null }],
      origin: { firedBy: [] },
    });
    expect(ruleFires(rule({ trigger: { on: 'sla_breached' } }), note('sla_breached'))).toBe(true);
    expect(ruleFires(rule({ trigger: { on: 'sla_breached' } }), note('sla_warning'))).toBe(false);
    expect(ruleFires(rule({ trigger: { on: 'sla_warning' } }), note('sla_warning'))).toBe(true);
  });

  it('on resolved and on reopened', () => {
    const resolved = { ...ticket, state: 'resolved' };
    expect(ruleFires(rule({ trigger: { on: 'resolved' } }), { ...created(), before: ticket, after: resolved })).toBe(true);
    expect(ruleFires(rule({ trigger: { on: 'resolved' } }), { ...created(), before: resolved, after: resolved })).toBe(false);
    // Closing (or cancelling) is final: an "updated" rule does not act on it.
    expect(ruleFires(rule({ trigger: { on: 'updated' } }), { ...created(), before: resolved, after: { ...ticket, state: 'closed' } })).toBe(
      false,
    );
    const reopened = { ...created(), before: resolved, after: { ...ticket, state: 'in_progress' } };
    expect(ruleFires(rule({ trigger: { on: 'reopened' } }), reopened)).toBe(true);
    expect(ruleFires(rule({ trigger: { on: 'reopened' } }), { ...reopened, before: ticket })).toBe(false);
  });

  it('on text contained (ignoring case) or matched, and a team that is none', () => {
    expect(ruleFires(rule({ conditions: [{ op: 'contains', text: 'MIGRATION' }] }), created())).toBe(true);
    expect(ruleFires(rule({ conditions: [{ op: 'contains', text: 'printer' }] }), created())).toBe(false);
    expect(ruleFires(rule({ conditions: [{ op: 'matches', pattern: '^payslip\\b' }] }), created())).toBe(true);
    expect(ruleFires(rule({ conditions: [{ op: 'in', field: 'team', values: [null] }] }), created())).toBe(true);
    expect(ruleFires(rule({ conditions: [{ op: 'not_in', field: 'channel', values: ['portal'] }] }), created())).toBe(false);
  });
});

describe('regular expressions', () => {
  it('refuses a pattern that could backtrack without end, and one that is not a pattern, naming why', () => {
    expect(refusedPattern('(a+)+$')).toMatch(/too long/);
    expect(refusedPattern('(')).toMatch(/not a regular expression/);
    expect(refusedPattern('payslip|payroll')).toBeNull();
    // Shapes safe-regex2 lets through that still take exponential or high polynomial time.
    expect(refusedPattern('(a|aa)*$')).toMatch(/alternatives under a repetition/);
    expect(refusedPattern('(\\w|\\d)+$')).toMatch(/alternatives under a repetition/);
    expect(refusedPattern('(?:x|y){2,}z')).toMatch(/alternatives under a repetition/);
    expect(refusedPattern('.*.*.*x')).toMatch(/more than 2 open-ended repetitions/);
    // Everyday patterns stay allowed: a class holding | or (, alternatives not repeated, two wildcards.
    expect(refusedPattern('VPN.*down')).toBeNull();
    expect(refusedPattern('\\d+-\\d+')).toBeNull();
    expect(refusedPattern('(vpn|network) (down|slow)')).toBeNull();
    expect(refusedPattern('[a|(]+ end')).toBeNull();
    expect(refusedPattern('(a|b)?c{2,3}')).toBeNull();
    // Saved before a stricter check: it never runs, so it never matches.
    expect(textMatches('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '(a+)+$')).toBe(false);
  });

  it("names a rule's refused patterns by their condition, leaving other conditions alone", () => {
    expect(
      refusedPatternsOf([
        { op: 'contains', text: '(a|aa)*$' },
        { op: 'matches', pattern: 'VPN.*down' },
        { op: 'matches', pattern: '.*.*.*x' },
      ]),
    ).toEqual([{ index: 2, pattern: '.*.*.*x', message: expect.stringMatching(/more than 2 open-ended repetitions/) }]);
  });
});

describe('what a firing does', () => {
  it('gathers the actions in order, the later value winning, and names every reference by its path', () => {
    const actions: AutomationRule['actions'] = [
      { type: 'assign', teamId: 'a' },
      { type: 'set_fields', urgency: 1 },
      { type: 'assign', teamId: 'b', assigneeId: 'ann' },
      { type: 'reply', cannedReplyId: 'on-it' },
      { type: 'notify', userIds: ['lead', 'lead'] },
    ];
    expect(planOf(actions)).toEqual({
      patch: { teamId: 'b', assigneeId: 'ann', urgency: 1 },
      cannedReplyIds: ['on-it'],
      followerIds: [],
      notifyIds: ['lead'],
      assignFairly: null,
      problemIds: [],
      pages: [],
      webhookIds: [],
    });
    expect(referencesOf([{ op: 'in', field: 'team', values: [null, 'x'] }], actions).map((r) => r.path)).toEqual([
      'conditions.0.values.1',
      'actions.0.teamId',
      'actions.2.teamId',
      'actions.2.assigneeId',
      'actions.3.cannedReplyId',
      'actions.4.userIds.0',
      'actions.4.userIds.1',
    ]);
  });
});

// Properties over small worlds: a few rule ids, triggers and conditions that often hold.
const ids = ['r1', 'r2', 'r3', 'r4'];
const ticketArb: fc.Arbitrary<AutomationTicket> = fc.record({
  kind: fc.constantFrom('incident', 'service_request'),
  state: fc.constantFrom('new', 'assigned', 'in_progress', 'resolved', 'closed'),
  priority: fc.integer({ min: 1, max: 3 }),
  impact: fc.integer({ min: 1, max: 3 }),
  urgency: fc.integer({ min: 1, max: 3 }),
  serviceId: fc.constantFrom('payroll', null),
  categoryId: fc.constant(null),
  teamId: fc.constantFrom('t1', null),
  assigneeId: fc.constant(null),
  channel: fc.constantFrom('portal', 'email'),
  requesterId: fc.constant('rita'),
  title: fc.constantFrom('VPN down', 'Payslip missing'),
  description: fc.constant(null),
});
const ruleArb = (id: string): fc.Arbitrary<AutomationRule> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(id),
    enabled: fc.boolean(),
    stopAfterMatch: fc.boolean(),
    trigger: fc.constantFrom(...AUTOMATION_TRIGGERS).map((on) => (on === 'field_changed' ? { on, field: 'priority' as const } : { on })),
    conditions: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('in' as const), field: fc.constant('priority' as const), values: fc.subarray([1, 2, 3]) }),
        fc.record({ op: fc.constant('contains' as const), text: fc.constantFrom('vpn', 'pay') }),
      ),
      { maxLength: 2 },
    ),
    actions: fc.constant([{ type: 'assign' as const, teamId: 't2' }]),
  });
const rulesArb = fc.tuple(...ids.map(ruleArb));
const changeArb: fc.Arbitrary<AutomationChange> = fc.record({
  before: fc.option(ticketArb, { nil: null }),
  after: ticketArb,
  events: fc.array(
    fc.record({
      type: fc.constantFrom('comment', 'work_note', 'field_changed'),
      internal: fc.boolean(),
      actorId: fc.constantFrom('rita', 'ann', null),
    }),
    {
      maxLength: 2,
    },
  ),
  origin: fc.record({ firedBy: fc.subarray(ids).chain((s) => fc.shuffledSubarray(s, { minLength: s.length })) }),
});

// Every rule enabled, no conditions, trigger "updated" and an update: all fire unless stopped.
const allFire: [AutomationRule[], AutomationChange] = [
  ids.map((id) => rule({ id, trigger: { on: 'updated' }, stopAfterMatch: id === 'r2' })),
  { before: ticket, after: ticket, events: [], origin: { firedBy: [] } },
];

describe('evaluation properties', () => {
  it('no rule fires on a change that it (or its chain) made', () => {
    fc.assert(
      fc.property(rulesArb, changeArb, (rules, change) => {
        const fired = evaluateRules(rules, change).firings.map((f) => f.rule.id);
        expect(fired.filter((id) => change.origin.firedBy.includes(id))).toEqual([]);
      }),
      { examples: [[allFire[0] as never, { ...allFire[1], origin: { firedBy: ['r1'] } }]] },
    );
  });

  it('a chain never grows past the depth: at the depth nothing fires, and what would have is named', () => {
    fc.assert(
      fc.property(rulesArb, changeArb, (rules, change) => {
        const result = evaluateRules(rules, change);
        if (change.origin.firedBy.length >= MAX_AUTOMATION_DEPTH) {
          expect(result.firings).toEqual([]);
        } else {
          expect(result.stopped).toBeNull();
        }
      }),
    );
    // The fixed case: three rules deep, a fourth that would fire is stopped with its reason.
    const deep = evaluateRules(allFire[0], { ...allFire[1], origin: { firedBy: ['r1', 'r2', 'r3'] } });
    expect(deep.firings).toEqual([]);
    expect(deep.stopped?.ruleIds).toEqual(['r4']);
    expect(deep.stopped?.reason).toMatch(/chain of 3 rules/);
  });

  it('keeps the admins’ order and stops after the first rule that says so', () => {
    fc.assert(
      fc.property(rulesArb, changeArb, (rules, change) => {
        const fired = evaluateRules(rules, change).firings.map((f) => f.rule);
        // In order, each fired rule is one that fires on its own, and only the last may stop.
        expect(fired.map((r) => rules.indexOf(r))).toEqual([...fired.map((r) => rules.indexOf(r))].sort());
        expect(fired.every((r) => ruleFires(r, change))).toBe(true);
        expect(fired.slice(0, -1).some((r) => r.stopAfterMatch)).toBe(false);
        // Every rule before the last fired one that would fire did fire (none skipped).
        const last = fired.length === 0 ? -1 : rules.indexOf(fired[fired.length - 1]);
        const expected = rules.slice(0, last + 1).filter((r) => ruleFires(r, change));
        expect(fired).toEqual(expected);
      }),
    );
    expect(evaluateRules(allFire[0], allFire[1]).firings.map((f) => f.rule.id)).toEqual(['r1', 'r2']);
  });
});
