import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedMoves,
  applyAssignment,
  applyTransition,
  isFinal,
  type LifecycleSnapshot,
  lifecycleViolations,
  type TransitionRequest,
} from './ticket-state-machine.js';
import { ON_HOLD_REASONS, RESOLUTION_CODES, TICKET_STATES, type TicketState } from './vocabulary.js';

const fresh: LifecycleSnapshot = { state: 'new', assigneeId: null, onHoldReason: null, resolutionCode: null, resolutionNotes: null };

const people = ['alice', 'bob', 'carol'];

/** Any action a user (or a buggy client) could attempt, with or without the fields it needs. */
const anyAction = fc.oneof(
  fc.record({
    kind: fc.constant('transition' as const),
    to: fc.constantFrom(...TICKET_STATES),
    actorId: fc.constantFrom(...people),
    onHoldReason: fc.option(fc.constantFrom(...ON_HOLD_REASONS), { nil: undefined }),
    resolutionCode: fc.option(fc.constantFrom(...RESOLUTION_CODES), { nil: undefined }),
    resolutionNotes: fc.option(fc.constantFrom('', '  ', 'fixed the cable'), { nil: undefined }),
    reason: fc.option(fc.constantFrom('', 'still broken', 'duplicate'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('assign' as const), assigneeId: fc.option(fc.constantFrom(...people), { nil: null }) }),
);

type Action = typeof anyAction extends fc.Arbitrary<infer A> ? A : never;

function step(s: LifecycleSnapshot, action: Action) {
  if (action.kind === 'assign') return applyAssignment(s, action.assigneeId);
  const { kind: _kind, ...request } = action;
  return applyTransition(s, request as TransitionRequest);
}

describe('the ticket state machine', () => {
  it('reaches no illegal state through any sequence of actions', () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 40 }), (actions) => {
        let s = fresh;
        for (const action of actions) {
          const result = step(s, action);
          if (result.ok) {
            // Only moves the machine lists are ever taken.
            if (result.next.state !== s.state && action.kind === 'transition') {
              expect(allowedMoves(s.state)).toContain(result.next.state);
            }
            s = result.next;
          }
          expect(lifecycleViolations(s)).toEqual([]);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never leaves a final state', () => {
    fc.assert(
      fc.property(fc.constantFrom<TicketState>('closed', 'cancelled'), fc.array(anyAction, { maxLength: 10 }), (final, actions) => {
        const start: LifecycleSnapshot = { ...fresh, state: final, assigneeId: 'alice', resolutionCode: 'duplicate', resolutionNotes: 'x' };
        for (const action of actions) {
          const result = step(start, action);
          expect(result.ok).toBe(false);
        }
        expect(isFinal(final)).toBe(true);
      }),
    );
  });

  it('moves new → assigned when someone is assigned, and back when they are removed', () => {
    const assigned = applyAssignment(fresh, 'alice');
    expect(assigned.ok && assigned.next.state).toBe('assigned');
    const unassigned = assigned.ok ? applyAssignment(assigned.next, null) : assigned;
    expect(unassigned.ok && unassigned.next.state).toBe('new');
  });

  it('makes whoever starts work on an unassigned ticket its assignee', () => {
    const started = applyTransition(fresh, { to: 'in_progress', actorId: 'bob' });
    expect(started.ok && started.next).toMatchObject({ state: 'in_progress', assigneeId: 'bob' });
  });

  it('refuses to leave a ticket being worked without an owner', () => {
    const working: LifecycleSnapshot = { ...fresh, state: 'in_progress', assigneeId: 'alice' };
    const result = applyAssignment(working, null);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.refusal).toMatchObject({ kind: 'missing_field', field: 'assigneeId' });
  });

  it('requires a reason to hold, notes and a code to resolve, and a reason to reopen or cancel', () => {
    const working: LifecycleSnapshot = { ...fresh, state: 'in_progress', assigneeId: 'alice' };
    const field = (r: ReturnType<typeof applyTransition>) => (!r.ok && r.refusal.kind === 'missing_field' ? r.refusal.field : null);
    expect(field(applyTransition(working, { to: 'on_hold', actorId: 'alice' }))).toBe('onHoldReason');
    expect(field(applyTransition(working, { to: 'resolved', actorId: 'alice', resolutionNotes: 'x' }))).toBe('resolutionCode');
    expect(field(applyTransition(working, { to: 'resolved', actorId: 'alice', resolutionCode: 'duplicate', resolutionNotes: '   ' }))).toBe(
      'resolutionNotes',
    );
    expect(field(applyTransition(working, { to: 'cancelled', actorId: 'alice' }))).toBe('reason');
    const resolved: LifecycleSnapshot = { ...working, state: 'resolved', resolutionCode: 'duplicate', resolutionNotes: 'x' };
    expect(field(applyTransition(resolved, { to: 'in_progress', actorId: 'alice' }))).toBe('reason');
    const reopened = applyTransition(resolved, { to: 'in_progress', actorId: 'alice', reason: 'came back' });
    expect(reopened.ok && reopened).toMatchObject({ action: 'reopen', next: { state: 'in_progress', resolutionCode: null } });
  });

  it('names the allowed moves when refusing one', () => {
    const result = applyTransition(fresh, { to: 'closed', actorId: 'alice' });
    expect(!result.ok && result.refusal).toEqual({
      kind: 'illegal_move',
      from: 'new',
      to: 'closed',
      allowed: ['in_progress', 'on_hold', 'resolved', 'cancelled'],
    });
  });
});
