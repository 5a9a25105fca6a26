import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRoleDecision, decideRoleAction, type Holding, type RoleAction } from './incident-roles.js';

const ROLES = [
  { roleId: 'incident_manager', singleHolder: true },
  { roleId: 'scribe', singleHolder: true },
  { roleId: 'sme', singleHolder: false },
];
const PEOPLE = ['ana', 'ben', 'cho', 'dev'];

const action: fc.Arbitrary<RoleAction> = fc.oneof(
  fc
    .record({ role: fc.constantFrom(...ROLES), userId: fc.constantFrom(...PEOPLE) })
    .map(({ role, userId }): RoleAction => ({ kind: 'assign', ...role, userId })),
  fc
    .record({ role: fc.constantFrom(...ROLES), from: fc.constantFrom(...PEOPLE), to: fc.constantFrom(...PEOPLE) })
    .map(({ role, from, to }): RoleAction => ({ kind: 'hand_over', roleId: role.roleId, fromUserId: from, toUserId: to })),
  fc
    .record({ role: fc.constantFrom(...ROLES), userId: fc.constantFrom(...PEOPLE) })
    .map(({ role, userId }): RoleAction => ({ kind: 'release', roleId: role.roleId, userId })),
);

const holdersOf = (holdings: readonly Holding[], roleId: string) => holdings.filter((h) => h.roleId === roleId).map((h) => h.userId);

describe('response roles', () => {
  it('never has two current holders of a single-holder role, nor one person twice in a role, whatever happens', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        let holdings: Holding[] = [];
        for (const a of actions) {
          const decision = decideRoleAction(holdings, a);
          if (decision.ok) holdings = applyRoleDecision(holdings, decision);
          for (const role of ROLES) {
            const holders = holdersOf(holdings, role.roleId);
            if (role.singleHolder) expect(holders.length).toBeLessThanOrEqual(1);
            expect(new Set(holders).size).toBe(holders.length);
          }
        }
      }),
    );
  });

  it('a hand-over leaves no gap: the role is held before and after, the old holder out and the new one in, the rest untouched', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), action, (setup, last) => {
        let holdings: Holding[] = [];
        for (const a of setup) {
          const d = decideRoleAction(holdings, a);
          if (d.ok) holdings = applyRoleDecision(holdings, d);
        }
        if (last.kind !== 'hand_over') return;
        const decision = decideRoleAction(holdings, last);
        if (!decision.ok) return;
        // One decision ends and starts at the same instant: there is no state in between.
        expect(decision.end).toHaveLength(1);
        expect(decision.start?.userId).toBe(last.toUserId);
        const before = holdersOf(holdings, last.roleId);
        const after = holdersOf(applyRoleDecision(holdings, decision), last.roleId);
        expect(before).toContain(last.fromUserId);
        expect(after).not.toContain(last.fromUserId);
        expect(after).toContain(last.toUserId);
        expect(after.length).toBe(before.length);
        const others = (hs: Holding[]) => hs.filter((h) => h.roleId !== last.roleId);
        expect(others(applyRoleDecision(holdings, decision))).toEqual(others(holdings));
      }),
    );
  });

  it('refuses a second holder of a single-holder role, naming the holder; several may hold a many-holder role', () => {
    const held: Holding[] = [{ roleId: 'incident_manager', userId: 'ana', singleHolder: true }];
    expect(decideRoleAction(held, { kind: 'assign', roleId: 'incident_manager', singleHolder: true, userId: 'ben' })).toEqual({
      ok: false,
      reason: 'held_by_other',
      holderId: 'ana',
    });
    const smes: Holding[] = [{ roleId: 'sme', userId: 'ana', singleHolder: false }];
    expect(decideRoleAction(smes, { kind: 'assign', roleId: 'sme', singleHolder: false, userId: 'ben' }).ok).toBe(true);
    expect(decideRoleAction(smes, { kind: 'assign', roleId: 'sme', singleHolder: false, userId: 'ana' })).toEqual({
      ok: false,
      reason: 'already_holder',
    });
  });

  it('hands over and releases only what the person holds', () => {
    expect(decideRoleAction([], { kind: 'release', roleId: 'scribe', userId: 'ana' })).toEqual({ ok: false, reason: 'not_holder' });
    expect(decideRoleAction([], { kind: 'hand_over', roleId: 'scribe', fromUserId: 'ana', toUserId: 'ben' })).toEqual({
      ok: false,
      reason: 'not_holder',
    });
  });
});
