import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followUpsOf, SILENT_REASONS, subscriberAnnouncements, type TicketChangeFacts, type TicketFacts } from './ticket-follow-ups.js';
import { TICKET_STATES } from './vocabulary.js';

/** The follow-up that tells status page subscribers (issue 15 #3), derived from the change's events. */
const incident: TicketFacts = {
  kind: 'incident',
  state: 'in_progress',
  priority: 2,
  channel: 'portal',
  slaPolicyId: null,
  onHoldReason: null,
  firstResponseAt: null,
  pageHeldSince: null,
  publicIncident: true,
};

const announced = (c: TicketChangeFacts) => followUpsOf(c).find((f) => f.kind === 'announce_to_subscribers');

describe('what status page subscribers hear of', () => {
  it("the desk's public comment on a public incident, whoever wrote the code path that posted it", () => {
    const c: TicketChangeFacts = {
      before: incident,
      after: incident,
      events: [{ type: 'work_note', internal: true }, { type: 'comment' }],
      by: 'staff',
    };
    expect(announced(c)).toEqual({ kind: 'announce_to_subscribers', announcements: [{ eventIndex: 1, what: 'update' }] });
  });

  it('not a work note, not a requester, not a local incident, not an import', () => {
    const comment = [{ type: 'comment' }];
    expect(
      subscriberAnnouncements({ before: incident, after: incident, events: [{ type: 'comment', internal: true }], by: 'staff' }),
    ).toEqual([]);
    expect(subscriberAnnouncements({ before: incident, after: incident, events: comment, by: 'requester' })).toEqual([]);
    const local = { ...incident, publicIncident: false };
    expect(subscriberAnnouncements({ before: local, after: local, events: comment, by: 'staff' })).toEqual([]);
    expect(subscriberAnnouncements({ before: incident, after: incident, events: comment, by: 'staff', silent: 'import' })).toEqual([]);
    const request = { ...incident, kind: 'service_request' };
    expect(subscriberAnnouncements({ before: request, after: request, events: comment, by: 'staff' })).toEqual([]);
  });

  it('a corrected public update only when its editor ticked "notify subscribers" (a typo fix is not news)', () => {
    const edit = (notify: boolean) => [{ type: 'public_update_edited', internal: true, data: { updateId: 7, revision: 2, notify } }];
    expect(subscriberAnnouncements({ before: incident, after: incident, events: edit(false), by: 'staff' })).toEqual([]);
    expect(subscriberAnnouncements({ before: incident, after: incident, events: edit(true), by: 'staff' })).toEqual([
      { eventIndex: 0, what: 'update' },
    ]);
    const local = { ...incident, publicIncident: false };
    expect(subscriberAnnouncements({ before: local, after: local, events: edit(true), by: 'staff' })).toEqual([]);
  });

  it('an incident starting: created public, or made global or major while open', () => {
    expect(
      subscriberAnnouncements({ before: null, after: { ...incident, state: 'new' }, events: [{ type: 'created' }], by: null }),
    ).toEqual([{ eventIndex: 0, what: 'started' }]);
    const local = { ...incident, publicIncident: false };
    expect(subscriberAnnouncements({ before: local, after: incident, events: [{ type: 'scope_changed' }], by: 'staff' })).toEqual([
      { eventIndex: 0, what: 'started' },
    ]);
  });

  it('an incident resolving, on its state change', () => {
    expect(
      subscriberAnnouncements({
        before: incident,
        after: { ...incident, state: 'resolved' },
        events: [{ type: 'field_changed' }, { type: 'state_changed' }],
        by: 'staff',
      }),
    ).toEqual([{ eventIndex: 1, what: 'resolved' }]);
  });

  it('(property) never for anything that is not a public incident, nor from a silent writer; every index names an event', () => {
    const facts: fc.Arbitrary<TicketFacts> = fc.record({
      kind: fc.constantFrom('incident', 'service_request', 'disturbance'),
      state: fc.constantFrom(...TICKET_STATES),
      priority: fc.integer({ min: 1, max: 5 }),
      channel: fc.constant('portal'),
      slaPolicyId: fc.constant(null),
      onHoldReason: fc.constant(null),
      firstResponseAt: fc.constant(null),
      pageHeldSince: fc.constant(null),
      publicIncident: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.record({
          before: fc.option(facts, { nil: null }),
          after: facts,
          events: fc.array(
            fc.record({
              type: fc.constantFrom('created', 'state_changed', 'comment', 'work_note', 'scope_changed'),
              internal: fc.boolean(),
            }),
            { maxLength: 4 },
          ),
          by: fc.constantFrom('staff' as const, 'requester' as const, null),
          silent: fc.option(fc.constantFrom(...SILENT_REASONS), { nil: undefined }),
        }),
        (c) => {
          const out = subscriberAnnouncements(c);
          if (c.silent || c.after.kind !== 'incident' || !c.after.publicIncident) expect(out).toEqual([]);
          for (const a of out) expect(a.eventIndex).toBeGreaterThanOrEqual(0);
          for (const a of out) expect(a.eventIndex).toBeLessThan(c.events.length);
          const keys = out.map((a) => `${a.eventIndex}:${a.what}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (const a of out.filter((x) => x.what === 'update')) {
            expect(c.by).toBe('staff');
            expect(c.events[a.eventIndex]).toMatchObject({ type: 'comment', internal: false });
          }
        },
      ),
    );
  });
});
