import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseFairAssignee, describeFairChoice, type FairAssignmentInput, loadOf, type Member, openCount } from './fair-assignment.js';
import type { Priority } from './vocabulary.js';

const member = (userId: string, over: Partial<Member> = {}): Member => ({
  userId,
  name: userId.toUpperCase(),
  active: true,
  onShift: true,
  openByPriority: {},
  ...over,
});

const arbMember = (userId: string) =>
  fc.record({
    userId: fc.constant(userId),
    name: fc.constant(userId),
    active: fc.boolean(),
    onShift: fc.boolean(),
    openByPriority: fc.record(
      { 1: fc.nat(4), 2: fc.nat(4), 3: fc.nat(6), 4: fc.nat(6), 5: fc.nat(6) } as Record<Priority, fc.Arbitrary<number>>,
      { requiredKeys: [] },
    ),
  });

const arbTeam = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbMember(`m${i}`))))
  .map((members) => members as Member[]);

const arbInput = arbTeam.chain((members) =>
  fc.record({
    strategy: fc.constantFrom('round_robin' as const, 'least_loaded' as const),
    members: fc.constant(members),
    previousId: fc.option(fc.constantFrom(...members.map((m) => m.userId))),
    cap: fc.option(fc.integer({ min: 0, max: 20 })),
  }),
);

const eligible = (input: FairAssignmentInput) =>
  input.members.filter((m) => m.active && m.onShift && (input.cap === null || openCount(m) < input.cap));

describe('fair assignment', () => {
  it('round robin takes members in turn, and starts again after the last', () => {
    const members = [member('ana'), member('ben'), member('cy')];
    const order: string[] = [];
    let previousId: string | null = null;
    for (let i = 0; i < 5; i++) {
      const choice = chooseFairAssignee({ strategy: 'round_robin', members, previousId, cap: null });
      if (!choice.ok) throw new Error('expected a choice');
      order.push(choice.userId);
      previousId = choice.userId;
    }
    expect(order).toEqual(['ana', 'ben', 'cy', 'ana', 'ben']);
  });

  it('round robin never assigns the same person twice in a row while others are eligible', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const choice = chooseFairAssignee({ ...input, strategy: 'round_robin' });
        const others = eligible(input).filter((m) => m.userId !== input.previousId);
        if (others.length > 0) {
          expect(choice.ok).toBe(true);
          if (choice.ok) expect(choice.userId).not.toBe(input.previousId);
        }
      }),
      {
        // The case the property is about, always tried: the previous taker is eligible beside another.
        examples: [[{ strategy: 'round_robin', members: [member('a'), member('b')], previousId: 'a', cap: null }]],
      },
    );
  });

  it('least loaded picks a member whose weighted load is the minimum among the eligible', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const choice = chooseFairAssignee({ ...input, strategy: 'least_loaded' });
        const candidates = eligible(input);
        if (candidates.length === 0) {
          expect(choice.ok).toBe(false);
          return;
        }
        expect(choice.ok).toBe(true);
        if (!choice.ok) return;
        const minimum = Math.min(...candidates.map(loadOf));
        expect(choice.load).toBe(minimum);
        expect(candidates.map((m) => m.userId)).toContain(choice.userId);
      }),
      {
        examples: [
          [
            {
              strategy: 'least_loaded',
              members: [member('a', { openByPriority: { 1: 1 } }), member('b', { openByPriority: { 5: 3 } })],
              previousId: null,
              cap: null,
            },
          ],
        ],
      },
    );
  });

  it('never chooses someone capped, deactivated or off shift', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const choice = chooseFairAssignee(input);
        if (!choice.ok) {
          expect(eligible(input)).toEqual([]);
          return;
        }
        const chosen = input.members.find((m) => m.userId === choice.userId);
        expect(chosen?.active).toBe(true);
        expect(chosen?.onShift).toBe(true);
        if (input.cap !== null) expect(openCount(chosen as Member)).toBeLessThan(input.cap);
      }),
      {
        examples: [
          [
            {
              strategy: 'round_robin',
              members: [member('a', { openByPriority: { 3: 10 } }), member('b', { active: false }), member('c', { onShift: false })],
              previousId: null,
              cap: 10,
            },
          ],
        ],
      },
    );
  });

  it('weighs a P1 as five P5s: two P5s are lighter than one P1', () => {
    const members = [member('heavy', { openByPriority: { 1: 1 } }), member('light', { openByPriority: { 5: 2 } })];
    const choice = chooseFairAssignee({ strategy: 'least_loaded', members, previousId: null, cap: null });
    expect(choice.ok && choice.userId).toBe('light');
  });

  it('least loaded takes turns among equal loads', () => {
    const members = [member('a'), member('b'), member('c')];
    const choice = chooseFairAssignee({ strategy: 'least_loaded', members, previousId: 'a', cap: null });
    expect(choice.ok && choice.userId).toBe('b');
  });

  it('says why, naming who was passed over', () => {
    const members = [member('ana', { onShift: false }), member('ben', { openByPriority: { 2: 10 } }), member('cy')];
    const choice = chooseFairAssignee({ strategy: 'round_robin', members, previousId: null, cap: 10 });
    expect(choice.ok && choice.userId).toBe('cy');
    expect(describeFairChoice(choice, 10)).toBe(
      'round robin: next in turn (cap 10); passed over ANA (off shift), BEN (at the cap of open tickets)',
    );
    const none = chooseFairAssignee({ strategy: 'least_loaded', members: [member('ana', { active: false })], previousId: null, cap: null });
    expect(none.ok).toBe(false);
    expect(describeFairChoice(none, null)).toBe('least loaded: nobody could take it; passed over ANA (deactivated)');
    expect(describeFairChoice(chooseFairAssignee({ strategy: 'round_robin', members: [], previousId: null, cap: null }), null)).toBe(
      'round robin: the team has no members',
    );
  });
});
