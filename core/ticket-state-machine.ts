import type { OnHoldReason, ResolutionCode, TicketState } from './vocabulary.js';

/**
 * The one state machine for tickets. Every entry point (API, UI, e-mail, alerts, jobs) asks it
 * whether a move is legal; nothing else decides. Moves are named by their target state; the
 * machine names the action (a move from resolved back to in_progress is a reopen).
 */

export type TicketAction = 'start' | 'hold' | 'change_hold_reason' | 'resume' | 'resolve' | 'reopen' | 'close' | 'cancel';

const MOVES: Record<TicketState, Partial<Record<TicketState, TicketAction>>> = {
  new: { in_progress: 'start', on_hold: 'hold', resolved: 'resolve', cancelled: 'cancel' },
  assigned: { in_progress: 'start', on_hold: 'hold', resolved: 'resolve', cancelled: 'cancel' },
  in_progress: { on_hold: 'hold', resolved: 'resolve', cancelled: 'cancel' },
  // on_hold → on_hold changes what it waits for (vendor instead of requester) without a resume.
  on_hold: { on_hold: 'change_hold_reason', in_progress: 'resume', resolved: 'resolve', cancelled: 'cancel' },
  resolved: { in_progress: 'reopen', closed: 'close' },
  closed: {},
  cancelled: {},
};

export const FINAL_STATES: readonly TicketState[] = ['closed', 'cancelled'];

/** The part of a ticket the machine reasons about. */
export interface LifecycleSnapshot {
  state: TicketState;
  assigneeId: string | null;
  onHoldReason: OnHoldReason | null;
  resolutionCode: ResolutionCode | null;
  resolutionNotes: string | null;
}

export interface TransitionRequest {
  to: TicketState;
  onHoldReason?: OnHoldReason;
  resolutionCode?: ResolutionCode;
  resolutionNotes?: string;
  /** Why: required to reopen or cancel; recorded on the timeline for any move. */
  reason?: string;
  /** Who makes the move; becomes the assignee when work starts on an unassigned ticket. */
  actorId: string;
}

export type LifecycleRefusal =
  | { kind: 'illegal_move'; from: TicketState; to: TicketState; allowed: TicketState[] }
  | { kind: 'missing_field'; field: string; message: string };

export type LifecycleResult =
  | { ok: true; action: TicketAction | 'assign' | 'unassign' | 'reassign' | 'return_to_queue'; next: LifecycleSnapshot }
  | { ok: false; refusal: LifecycleRefusal };

export function allowedMoves(from: TicketState): TicketState[] {
  return Object.keys(MOVES[from]) as TicketState[];
}

export function isFinal(state: TicketState): boolean {
  return FINAL_STATES.includes(state);
}

function missing(field: string, message: string): LifecycleResult {
  return { ok: false, refusal: { kind: 'missing_field', field, message } };
}

export function applyTransition(current: LifecycleSnapshot, request: TransitionRequest): LifecycleResult {
  const action = MOVES[current.state][request.to];
  if (!action) {
    return {
      ok: false,
      refusal: { kind: 'illegal_move', from: current.state, to: request.to, allowed: allowedMoves(current.state) },
    };
  }
  const next: LifecycleSnapshot = { ...current, state: request.to };
  switch (action) {
    case 'start':
    case 'resume':
      next.onHoldReason = null;
      // Work always has an owner: whoever starts it on an unassigned ticket takes it.
      next.assigneeId = current.assigneeId ?? request.actorId;
      break;
    case 'hold':
      if (!request.onHoldReason) return missing('onHoldReason', 'say what the ticket is waiting for');
      next.onHoldReason = request.onHoldReason;
      next.assigneeId = current.assigneeId ?? request.actorId;
      break;
    case 'change_hold_reason':
      if (!request.onHoldReason) return missing('onHoldReason', 'say what the ticket is waiting for now');
      if (request.onHoldReason === current.onHoldReason) return missing('onHoldReason', 'the ticket is already waiting for that');
      next.onHoldReason = request.onHoldReason;
      break;
    case 'resolve':
      if (!request.resolutionCode) return missing('resolutionCode', 'a resolution code is required to resolve');
      if (!request.resolutionNotes?.trim()) {
        return missing('resolutionNotes', 'resolution notes are required to resolve: say what fixed it');
      }
      next.onHoldReason = null;
      next.resolutionCode = request.resolutionCode;
      next.resolutionNotes = request.resolutionNotes.trim();
      next.assigneeId = current.assigneeId ?? request.actorId;
      break;
    case 'reopen':
      if (!request.reason?.trim()) return missing('reason', 'say why the ticket is reopened');
      next.resolutionCode = null;
      next.resolutionNotes = null;
      next.assigneeId = current.assigneeId ?? request.actorId;
      break;
    case 'cancel':
      if (!request.reason?.trim()) return missing('reason', 'say why the ticket is cancelled');
      next.onHoldReason = null;
      break;
    case 'close':
      break;
  }
  return { ok: true, action, next };
}

/**
 * Changing the assignee. Assigning a new ticket moves it to assigned; taking the assignee off an
 * assigned ticket puts it back to new. A ticket being worked (in progress, on hold) or awaiting
 * confirmation (resolved) cannot be left without an owner: reassign it instead, so that a
 * reopened ticket always lands with someone. Final tickets keep their last owner.
 */
export function applyAssignment(current: LifecycleSnapshot, assigneeId: string | null): LifecycleResult {
  if (isFinal(current.state)) {
    return {
      ok: false,
      refusal: { kind: 'illegal_move', from: current.state, to: current.state, allowed: [] },
    };
  }
  const next: LifecycleSnapshot = { ...current, assigneeId };
  if (assigneeId === null) {
    if (current.state === 'in_progress' || current.state === 'on_hold' || current.state === 'resolved') {
      return missing('assigneeId', `a ticket that is ${current.state.replace('_', ' ')} needs an assignee: reassign it instead`);
    }
    if (current.state === 'assigned') next.state = 'new';
    return { ok: true, action: 'unassign', next };
  }
  if (current.state === 'new') next.state = 'assigned';
  return { ok: true, action: current.assigneeId ? 'reassign' : 'assign', next };
}

/**
 * Moving a ticket to another team (ServiceNow clears the assignee when the group changes). The
 * new team's queue takes it: with an assignee named (or kept because they belong to the new
 * team) the work goes on in its state; with nobody, the ticket goes back to `new`, unassigned —
 * the old assignee's work in progress or hold was theirs, and the new team triages it afresh.
 * A resolved ticket awaits its requester's confirmation and keeps an owner: name one.
 */
export function applyTeamChange(current: LifecycleSnapshot, assigneeId: string | null): LifecycleResult {
  if (isFinal(current.state)) {
    return { ok: false, refusal: { kind: 'illegal_move', from: current.state, to: current.state, allowed: [] } };
  }
  if (assigneeId !== null) {
    const next: LifecycleSnapshot = { ...current, assigneeId, state: current.state === 'new' ? 'assigned' : current.state };
    return { ok: true, action: current.assigneeId ? 'reassign' : 'assign', next };
  }
  if (current.state === 'resolved') {
    return missing('assigneeId', 'a resolved ticket awaits its requester and keeps an owner: name who in the new team owns it');
  }
  return { ok: true, action: 'return_to_queue', next: { ...current, state: 'new', assigneeId: null, onHoldReason: null } };
}

/** Whether a public reply from the requester lifts the hold: only when the ticket waits for them. */
export function requesterReplyResumes(current: LifecycleSnapshot): boolean {
  return current.state === 'on_hold' && current.onHoldReason === 'awaiting_requester';
}

/** The invariants every reachable snapshot satisfies; the property tests check them. */
export function lifecycleViolations(s: LifecycleSnapshot): string[] {
  const v: string[] = [];
  if (s.state === 'assigned' || s.state === 'in_progress' || s.state === 'on_hold' || s.state === 'resolved') {
    if (!s.assigneeId) v.push(`${s.state} without assignee`);
  }
  if (s.state === 'new' && s.assigneeId) v.push('new with assignee');
  if (s.state === 'on_hold' && !s.onHoldReason) v.push('on_hold without reason');
  if (s.state !== 'on_hold' && s.onHoldReason) v.push(`${s.state} with on-hold reason`);
  if ((s.state === 'resolved' || s.state === 'closed') && (!s.resolutionCode || !s.resolutionNotes)) {
    v.push(`${s.state} without resolution`);
  }
  return v;
}
