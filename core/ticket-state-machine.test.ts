import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedMoves,
  applyAssignment,
  applyTeamChange,
  applyTransition,
  isFinal,
  type LifecycleSnapshot,
  lifecycleViolations,
  requesterReplyResumes,
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
  fc.record({ kind: fc.constant('team' as const), assigneeId: fc.option(fc.constantFrom(...people), { nil: null }) }),
);

type Action = typeof anyAction extends fc.Arbitrary<infer A> ? A : never;

function step(s: LifecycleSnapshot, action: Action) {
  if (action.kind === 'assign') return applyAssignment(s, action.assigneeId);
  if (action.kind === 'team') return applyTeamChange(s, action.assigneeId);
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

  it('moves a ticket being worked to another team: unassigned back to new, or on with a named assignee', () => {
    const held: LifecycleSnapshot = { ...fresh, state: 'on_hold', assigneeId: 'alice', onHoldReason: 'awaiting_vendor' };
    const queued = applyTeamChange(held, null);
    expect(queued.ok && queued).toMatchObject({ action: 'return_to_queue', next: { state: 'new', assigneeId: null, onHoldReason: null } });
    const named = applyTeamChange({ ...held, state: 'in_progress', onHoldReason: null }, 'bob');
    expect(named.ok && named).toMatchObject({ action: 'reassign', next: { state: 'in_progress', assigneeId: 'bob' } });
    const resolved: LifecycleSnapshot = {
      ...fresh,
      state: 'resolved',
      assigneeId: 'alice',
      resolutionCode: 'duplicate',
      resolutionNotes: 'x',
    };
    expect(applyTeamChange(resolved, null).ok).toBe(false);
  });

  it('changes what an on-hold ticket waits for without a resume, and only the requester hold lifts on their reply', () => {
    const held: LifecycleSnapshot = { ...fresh, state: 'on_hold', assigneeId: 'alice', onHoldReason: 'awaiting_requester' };
    expect(requesterReplyResumes(held)).toBe(true);
    const changed = applyTransition(held, { to: 'on_hold', onHoldReason: 'awaiting_vendor', actorId: 'alice' });
    expect(changed.ok && changed).toMatchObject({
      action: 'change_hold_reason',
      next: { state: 'on_hold', onHoldReason: 'awaiting_vendor' },
    });
    expect(changed.ok && requesterReplyResumes(changed.next)).toBe(false);
    expect(applyTransition(held, { to: 'on_hold', onHoldReason: 'awaiting_requester', actorId: 'alice' }).ok).toBe(false);
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
