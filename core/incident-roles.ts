/**
 * Response roles on a major incident (issue 14): the one rule for who may take, hand over and
 * release a role. Invariants: a single-holder role has at most one current holder; a person
 * holds a role at most once; a hand-over ends the old holding and starts the new one at the same
 * instant, so the role is never left without a holder in between.
 */

/** A current holding: who holds which role. */
export interface Holding {
  roleId: string;
  userId: string;
  singleHolder: boolean;
}

export type RoleAction =
  | { kind: 'assign'; roleId: string; singleHolder: boolean; userId: string }
  | { kind: 'hand_over'; roleId: string; fromUserId: string; toUserId: string }
  | { kind: 'release'; roleId: string; userId: string };

export type RoleDecision =
  /** `end`: holdings that stop now; `start`: the one that begins at the same instant. */
  | { ok: true; end: Holding[]; start: Holding | null }
  | { ok: false; reason: 'held_by_other'; holderId: string }
  | { ok: false; reason: 'already_holder' | 'not_holder' | 'same_person' };

export function decideRoleAction(current: readonly Holding[], action: RoleAction): RoleDecision {
  const holders = current.filter((h) => h.roleId === action.roleId);
  switch (action.kind) {
    case 'assign': {
      if (holders.some((h) => h.userId === action.userId)) return { ok: false, reason: 'already_holder' };
      const other = holders[0];
      if (action.singleHolder && other) return { ok: false, reason: 'held_by_other', holderId: other.userId };
      return { ok: true, end: [], start: { roleId: action.roleId, userId: action.userId, singleHolder: action.singleHolder } };
    }
    case 'hand_over': {
      if (action.fromUserId === action.toUserId) return { ok: false, reason: 'same_person' };
      const from = holders.find((h) => h.userId === action.fromUserId);
      if (!from) return { ok: false, reason: 'not_holder' };
      if (holders.some((h) => h.userId === action.toUserId)) return { ok: false, reason: 'already_holder' };
      return { ok: true, end: [from], start: { roleId: action.roleId, userId: action.toUserId, singleHolder: from.singleHolder } };
    }
    case 'release': {
      const held = holders.find((h) => h.userId === action.userId);
      if (!held) return { ok: false, reason: 'not_holder' };
      return { ok: true, end: [held], start: null };
    }
  }
}

/** The holdings after a decision that went through. */
export function applyRoleDecision(current: readonly Holding[], decision: RoleDecision & { ok: true }): Holding[] {
  const ended = (h: Holding) => decision.end.some((e) => e.roleId === h.roleId && e.userId === h.userId);
  return [...current.filter((h) => !ended(h)), ...(decision.start ? [decision.start] : [])];
}
