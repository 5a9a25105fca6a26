import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsAfter, isReopen } from './ticket-counts.js';
import { OPEN_STATES, TICKET_STATES } from './vocabulary.js';

const owner = fc.option(fc.constantFrom('a', 'b'), { nil: null });
const state = fc.constantFrom(...TICKET_STATES);
const event = fc.record({ type: fc.constantFrom('comment', 'work_note', 'state_changed', 'assigned'), internal: fc.boolean() });

describe('the ticket counters', () => {
  it('only grow, by at most one reassignment and one reopening per change, and count only staff’s public comments', () => {
    fc.assert(
      fc.property(
        fc.record({
          teamId: owner,
          assigneeId: owner,
          state,
          reassignmentCount: fc.nat(5),
          reopenCount: fc.nat(5),
          staffReplyCount: fc.nat(5),
        }),
        fc.record({ teamId: owner, assigneeId: owner, state }),
        fc.array(event),
        fc.boolean(),
        (before, after, events, byStaff) => {
          const changed = countsAfter(before, after, events, byStaff);
          const reassignments = (changed.reassignmentCount ?? before.reassignmentCount) - before.reassignmentCount;
          const reopenings = (changed.reopenCount ?? before.reopenCount) - before.reopenCount;
          expect([0, 1]).toContain(reassignments);
          expect(reopenings).toBe(isReopen(before.state, after.state) ? 1 : 0);
          const publicComments = events.filter((e) => e.type === 'comment' && !e.internal).length;
          expect((changed.staffReplyCount ?? before.staffReplyCount) - before.staffReplyCount).toBe(byStaff ? publicComments : 0);
        },
      ),
    );
  });

  it('call a move back into work from resolved or closed a reopening, and nothing else', () => {
    for (const to of OPEN_STATES) {
      expect(isReopen('resolved', to)).toBe(true);
      expect(isReopen('closed', to)).toBe(true);
      expect(isReopen('on_hold', to)).toBe(false);
    }
    expect(isReopen('resolved', 'closed')).toBe(false);
    expect(isReopen('resolved', 'cancelled')).toBe(false);
  });
});
