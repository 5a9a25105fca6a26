import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReassignment, type Ownership, ownerAfter } from './reassignment.js';

const own = (teamId: string | null, assigneeId: string | null): Ownership => ({ teamId, assigneeId });

describe('what counts as a reassignment', () => {
  it('does not count the first assignment of a team or a person', () => {
    expect(isReassignment(own(null, null), own('network', null))).toBe(false);
    expect(isReassignment(own('network', null), own('network', 'ana'))).toBe(false);
    expect(isReassignment(own(null, null), own('network', 'ana'))).toBe(false);
  });

  it('counts a move to another team, once even when the assignee goes with it', () => {
    expect(isReassignment(own('network', null), own('database', null))).toBe(true);
    expect(isReassignment(own('network', 'ana'), own('database', null))).toBe(true);
    expect(isReassignment(own('network', 'ana'), own('database', 'ben'))).toBe(true);
  });

  it('counts a change of assignee, and a return to the queue', () => {
    expect(isReassignment(own('network', 'ana'), own('network', 'ben'))).toBe(true);
    expect(isReassignment(own('network', 'ana'), own('network', null))).toBe(true);
  });

  it('counts nothing when the owner stays', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (teamId, assigneeId) => {
        expect(isReassignment(own(teamId, assigneeId), own(teamId, assigneeId))).toBe(false);
      }),
    );
  });

  it('counts A → nobody → B as one reassignment, like A → B', () => {
    const steps = [own('network', 'ana'), own('network', null), own('network', 'ben')];
    const count = steps.slice(1).filter((after, i) => isReassignment(steps[i], after)).length;
    expect(count).toBe(1);
  });
});

describe('the owner after a patch', () => {
  it('keeps what the patch leaves out and clears what it sets to null', () => {
    const before = own('network', 'ana');
    expect(ownerAfter(before, {})).toEqual(before);
    expect(ownerAfter(before, { teamId: 'database' })).toEqual(own('database', 'ana'));
    expect(ownerAfter(before, { assigneeId: null })).toEqual(own('network', null));
    expect(isReassignment(before, ownerAfter(before, { assigneeId: null }))).toBe(true);
  });
});
