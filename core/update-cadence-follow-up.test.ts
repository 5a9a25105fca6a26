import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followUpsOf, type TicketChangeFacts, type TicketFacts } from './ticket-follow-ups.js';
import { reminderToGive } from './update-cadence.js';
import { OPEN_STATES, TICKET_STATES } from './vocabulary.js';

const DECLARED = new Date('2026-12-01T09:07:00Z');
const facts: fc.Arbitrary<TicketFacts> = fc.record({
  kind: fc.constantFrom('incident', 'service_request', 'disturbance'),
  state: fc.constantFrom(...TICKET_STATES),
  priority: fc.integer({ min: 1, max: 5 }),
  channel: fc.constant('api'),
  slaPolicyId: fc.constant(null),
  onHoldReason: fc.constant(null),
  firstResponseAt: fc.constant(null),
  pageHeldSince: fc.constant(null),
  majorSince: fc.option(fc.constant(DECLARED), { nil: null }),
});
const change: fc.Arbitrary<TicketChangeFacts> = fc.record({
  before: fc.option(facts, { nil: null }),
  after: facts,
  events: fc.array(
    fc.record({ type: fc.constantFrom('comment', 'work_note', 'stakeholder_update', 'field_changed'), internal: fc.boolean() }),
    { maxLength: 3 },
  ),
  by: fc.constantFrom('staff' as const, 'requester' as const, null),
});
const cadenceOf = (c: TicketChangeFacts) => followUpsOf(c).find((f) => f.kind === 'keep_update_cadence');
const isMajor = (f: TicketFacts | null) => f !== null && (f.majorSince ?? null) !== null;

describe('the update cadence as a pipeline follow-up (properties)', () => {
  it('is kept only for major incidents (or one that just stopped being one)', () => {
    fc.assert(
      fc.property(change, (c) => {
        if (cadenceOf(c)) expect((c.after.kind === 'incident' && isMajor(c.after)) || isMajor(c.before)).toBe(true);
      }),
    );
  });

  it('counts an update sent: a stakeholder update, or a public comment by the desk — never a requester’s words or a work note', () => {
    fc.assert(
      fc.property(change, (c) => {
        const f = cadenceOf(c);
        const sent = c.events.some((e) => e.type === 'stakeholder_update' || (e.type === 'comment' && !e.internal && c.by === 'staff'));
        if (f && f.kind === 'keep_update_cadence') expect(f.updated).toBe(sent);
      }),
    );
  });

  it('restarts at the declaration, at a priority change and when the incident leaves or re-enters the open states', () => {
    const major: TicketFacts = {
      kind: 'incident',
      state: 'in_progress',
      priority: 1,
      channel: 'api',
      slaPolicyId: null,
      onHoldReason: null,
      firstResponseAt: null,
      pageHeldSince: null,
      majorSince: DECLARED,
    };
    const at = (before: TicketFacts | null, after: TicketFacts) => cadenceOf({ before, after, events: [], by: 'staff' });
    expect(at({ ...major, majorSince: null }, major)).toEqual({ kind: 'keep_update_cadence', restart: true, updated: false });
    expect(at(major, { ...major, priority: 2 })).toMatchObject({ restart: true });
    expect(at(major, { ...major, state: 'resolved' })).toMatchObject({ restart: true });
    expect(OPEN_STATES.includes('on_hold')).toBe(true);
    expect(at(major, { ...major, state: 'on_hold' })).toBeUndefined(); // still open: the people affected still wait for news
  });
});

describe('the reminder timer', () => {
  const due = new Date('2026-12-01T09:37:00Z');
  const minutes = (n: number) => new Date(due.getTime() + n * 60_000);

  it('reminds once, at or after the due time, and only while that is still the due time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -60, max: 120 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        fc.boolean(),
        (offset, grace, moved, reminded) => {
          const give = reminderToGive({
            stage: 'due',
            dueAt: due,
            now: minutes(offset),
            graceMinutes: grace,
            nextDueAt: moved ? minutes(30) : due,
            lastRemindedFor: reminded ? due : null,
          });
          expect(give).toBe(offset >= 0 && !moved && !reminded);
        },
      ),
    );
  });

  it('says "overdue" only once the grace has passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 }), (offset, grace) => {
        const give = reminderToGive({
          stage: 'overdue',
          dueAt: due,
          now: minutes(offset),
          graceMinutes: grace,
          nextDueAt: due,
          lastRemindedFor: null,
        });
        expect(give).toBe(offset >= grace);
      }),
    );
  });
});
