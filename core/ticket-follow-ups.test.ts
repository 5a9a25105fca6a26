import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FollowUpKind, followUpsOf, SILENT_REASONS, type TicketChangeFacts, type TicketFacts } from './ticket-follow-ups.js';
import { OPEN_STATES, TICKET_STATES } from './vocabulary.js';

const ticketFacts: fc.Arbitrary<TicketFacts> = fc.record({
  kind: fc.constantFrom('incident', 'service_request', 'disturbance'),
  state: fc.constantFrom(...TICKET_STATES),
  priority: fc.integer({ min: 1, max: 5 }),
  channel: fc.constantFrom('portal', 'api', 'email', 'alert'),
  slaPolicyId: fc.option(fc.constantFrom('policy-a', 'policy-b'), { nil: null }),
  onHoldReason: fc.option(fc.constantFrom('awaiting_requester', 'awaiting_vendor'), { nil: null }),
  firstResponseAt: fc.option(fc.constant(new Date('2026-01-01T10:00:00Z')), { nil: null }),
  pageHeldSince: fc.option(fc.constant(new Date('2026-01-01T09:00:00Z')), { nil: null }),
});

const change: fc.Arbitrary<TicketChangeFacts> = fc.record({
  before: fc.option(ticketFacts, { nil: null }),
  after: ticketFacts,
  events: fc.array(fc.record({ type: fc.constantFrom('created', 'state_changed', 'comment', 'work_note', 'alert', 'escalated') }), {
    maxLength: 3,
  }),
  by: fc.constantFrom('staff' as const, 'requester' as const, null),
  // An import has no follow-ups at all: its own property below.
  silent: fc.option(fc.constantFrom(...SILENT_REASONS.filter((r) => r !== 'import')), { nil: undefined }),
});

const allKinds = (c: TicketChangeFacts): FollowUpKind[] => followUpsOf(c).map((f) => f.kind);
// The automation rules run on every change that is not silent (their own property below): the
// other properties and examples are about the rest.
const kinds = (c: TicketChangeFacts): FollowUpKind[] => allKinds(c).filter((k) => k !== 'run_automation');
const isOpen = (state: TicketFacts['state']) => OPEN_STATES.includes(state);

const base: TicketFacts = {
  kind: 'incident',
  state: 'new',
  priority: 3,
  channel: 'portal',
  slaPolicyId: 'policy-a',
  onHoldReason: null,
  firstResponseAt: null,
  pageHeldSince: null,
};

describe('what follows a ticket change (properties)', () => {
  it('notifies exactly when there are events and the writer did not say it is silent', () => {
    fc.assert(
      fc.property(change, (c) => {
        expect(kinds(c).includes('notify')).toBe(c.events.length > 0 && c.silent === undefined);
      }),
    );
  });

  it('looks for a storm exactly when an incident or disturbance is created, unless imported', () => {
    fc.assert(
      fc.property(change, (c) => {
        const expected = c.before === null && ['incident', 'disturbance'].includes(c.after.kind) && c.silent !== 'import';
        expect(kinds(c).includes('detect_storm')).toBe(expected);
      }),
    );
  });

  it('schedules auto-close for any move into resolved, and only then', () => {
    fc.assert(
      fc.property(change, (c) => {
        const movedIntoResolved = c.after.state === 'resolved' && c.before?.state !== 'resolved';
        expect(kinds(c).includes('schedule_auto_close')).toBe(movedIntoResolved);
      }),
    );
  });

  it("resolves an incident's children exactly when an existing incident moves into resolved", () => {
    fc.assert(
      fc.property(change, (c) => {
        const expected = c.before !== null && c.after.kind === 'incident' && c.after.state === 'resolved' && c.before.state !== 'resolved';
        expect(kinds(c).includes('resolve_children')).toBe(expected);
      }),
    );
  });

  it('resolves children whoever resolved the incident, and even when the resolution is silent', () => {
    fc.assert(
      fc.property(change, fc.constantFrom('staff' as const, 'requester' as const, null), (c, by) => {
        const told = kinds({ ...c, silent: undefined, by }).includes('resolve_children');
        const silent = kinds({ ...c, silent: 'alert_note', by }).includes('resolve_children');
        expect(silent).toBe(told);
      }),
    );
  });

  it('ends pages on any move out of an open state, and never while the ticket stays open', () => {
    fc.assert(
      fc.property(change, (c) => {
        const left = !isOpen(c.after.state) && (c.before === null || isOpen(c.before.state));
        expect(kinds(c).includes('end_pages')).toBe(left);
      }),
    );
  });

  it('never pages for a ticket that is not open, nor for one that was P1 already', () => {
    fc.assert(
      fc.property(change, (c) => {
        if (kinds(c).includes('auto_page')) {
          expect(isOpen(c.after.state)).toBe(true);
          expect(c.after.priority).toBe(1);
          expect(c.before?.priority).not.toBe(1);
        }
      }),
    );
  });

  it('schedules SLA timers for every new ticket with a policy, and never without a policy before or after', () => {
    fc.assert(
      fc.property(change, (c) => {
        const sla = kinds(c).includes('schedule_sla_timers');
        if (c.before === null && c.after.slaPolicyId !== null) expect(sla).toBe(true);
        if (c.after.slaPolicyId === null && (c.before?.slaPolicyId ?? null) === null) expect(sla).toBe(false);
      }),
    );
  });

  it('reschedules SLA timers whenever the state, hold reason or policy moves on a ticket with a policy', () => {
    fc.assert(
      fc.property(ticketFacts, ticketFacts, (before, after) => {
        const moved =
          before.state !== after.state || before.onHoldReason !== after.onHoldReason || before.slaPolicyId !== after.slaPolicyId;
        const withPolicy = before.slaPolicyId !== null || after.slaPolicyId !== null;
        if (moved && withPolicy) expect(kinds({ before, after, events: [], by: 'staff' })).toContain('schedule_sla_timers');
      }),
    );
  });

  it('gives each follow-up at most once, and the same answer for the same change', () => {
    fc.assert(
      fc.property(change, (c) => {
        const once = kinds(c);
        expect(new Set(once).size).toBe(once.length);
        expect(followUpsOf(structuredClone(c))).toEqual(followUpsOf(c));
      }),
    );
  });

  it('a released hold pages once: after a confirmation when a person released it, after the hold when Firebreak did', () => {
    fc.assert(
      fc.property(change, (c) => {
        const released = c.before !== null && c.before.pageHeldSince !== null && c.after.pageHeldSince === null;
        const k = kinds(c);
        expect(k.includes('page_after_confirmation')).toBe(released && c.by !== null);
        expect(k.includes('page_after_hold')).toBe(released && c.by === null);
        if (released) expect(k).not.toContain('auto_page');
      }),
    );
  });

  it('runs the automation rules on every change that is not silent, after every other follow-up', () => {
    fc.assert(
      fc.property(change, (c) => {
        const all = allKinds(c);
        expect(all.includes('run_automation')).toBe(!c.silent);
        if (!c.silent) expect(all.at(-1)).toBe('run_automation');
      }),
      { examples: [[{ before: null, after: base, events: [{ type: 'created' }], by: 'requester' }]] },
    );
  });

  it('a silent change has the same follow-ups as the same change told, except notifying and automation', () => {
    fc.assert(
      fc.property(change, fc.constantFrom(...SILENT_REASONS.filter((r) => r !== 'import')), (c, reason) => {
        const told = kinds({ ...c, silent: undefined }).filter((k) => k !== 'notify');
        expect(kinds({ ...c, silent: reason })).toEqual(told);
      }),
    );
  });

  it('an import is history: nothing follows it (no notification, SLA timer, auto-close, page, storm or announcement)', () => {
    fc.assert(
      fc.property(change, (c) => {
        expect(kinds({ ...c, silent: 'import' })).toEqual([]);
      }),
    );
  });
});

describe('what follows a ticket change (examples)', () => {
  it('a staff member reporting a P1 incident pages at once, as staff, with webhooks and SLA timers', () => {
    const followUps = followUpsOf({ before: null, after: { ...base, priority: 1 }, events: [{ type: 'created' }], by: 'staff' });
    expect(followUps).toEqual([
      { kind: 'notify' },
      { kind: 'schedule_sla_timers', created: true },
      { kind: 'auto_page', previousPriority: null, raisedBy: 'staff' },
      { kind: 'detect_storm' },
      { kind: 'run_automation' },
    ]);
  });

  it("a requester's P1 is decided as a requester's (the hold setting applies)", () => {
    const followUps = followUpsOf({ before: null, after: { ...base, priority: 1 }, events: [{ type: 'created' }], by: 'requester' });
    expect(followUps).toContainEqual({ kind: 'auto_page', previousPriority: null, raisedBy: 'requester' });
  });

  it("monitoring's new incident pages as an alert and corroborates held pages on its service", () => {
    const after = { ...base, channel: 'alert', priority: 1 };
    const followUps = followUpsOf({ before: null, after, events: [{ type: 'created' }], by: 'staff' });
    expect(followUps).toContainEqual({ kind: 'auto_page', previousPriority: null, raisedBy: 'alert' });
    expect(followUps).toContainEqual({ kind: 'corroborate_held_pages' });
  });

  it('a person clearing a held page pages after confirmation instead of raising; Firebreak clearing it pages after the hold', () => {
    const before = { ...base, priority: 1, pageHeldSince: new Date('2026-01-01T09:00:00Z') };
    const after = { ...before, pageHeldSince: null };
    expect(kinds({ before, after, events: [], by: 'staff' })).toEqual(['page_after_confirmation']);
    expect(kinds({ before, after, events: [], by: null })).toEqual(['page_after_hold']);
  });

  it('a manual close and an automatic close have the same follow-ups', () => {
    const before = { ...base, state: 'resolved' as const };
    const after = { ...base, state: 'closed' as const };
    const events = [{ type: 'state_changed' }];
    expect(kinds({ before, after, events, by: null })).toEqual(kinds({ before, after, events, by: 'requester' }));
    expect(kinds({ before, after, events, by: null })).toEqual(['notify', 'schedule_sla_timers']);
  });

  it('resolving ends pages, schedules auto-close, resolves the children and moves the SLA clocks', () => {
    const before = { ...base, state: 'in_progress' as const };
    const after = { ...base, state: 'resolved' as const };
    expect(kinds({ before, after, events: [{ type: 'state_changed' }], by: 'staff' })).toEqual([
      'notify',
      'schedule_sla_timers',
      'schedule_auto_close',
      'resolve_children',
      'end_pages',
    ]);
    // A service request has no children to resolve.
    expect(
      kinds({ before: { ...before, kind: 'service_request' }, after: { ...after, kind: 'service_request' }, events: [], by: 'staff' }),
    ).not.toContain('resolve_children');
  });

  it('pages the new holder of a response role that pages — assigned or handed over, on an open incident only', () => {
    const open = { ...base, state: 'in_progress' as const };
    const role = (type: string, pages: boolean) => ({ type, data: { userId: 'ann', roleName: 'Incident manager', pages } });
    expect(followUpsOf({ before: open, after: open, events: [role('role_assigned', true)], by: 'staff' })).toEqual([
      { kind: 'notify' },
      { kind: 'page_role_holder', userId: 'ann', roleName: 'Incident manager' },
      { kind: 'run_automation' },
    ]);
    expect(kinds({ before: open, after: open, events: [role('role_handed_over', true)], by: 'staff' })).toContain('page_role_holder');
    expect(kinds({ before: open, after: open, events: [role('role_assigned', false)], by: 'staff' })).not.toContain('page_role_holder');
    expect(kinds({ before: open, after: open, events: [role('role_released', true)], by: 'staff' })).not.toContain('page_role_holder');
    const resolved = { ...base, state: 'resolved' as const };
    expect(kinds({ before: resolved, after: resolved, events: [role('role_assigned', true)], by: 'staff' })).not.toContain(
      'page_role_holder',
    );
  });
});
