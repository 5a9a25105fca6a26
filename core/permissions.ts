import { hasRoleAtLeast, OPEN_STATES, type Role, type Scope, type TicketKind, type TicketState } from './vocabulary.js';

/** Who is acting: a signed-in person or the user behind an API token. */
export interface Actor {
  id: string;
  role: Role;
}

export function isStaff(actor: Actor): boolean {
  return hasRoleAtLeast(actor.role, 'agent');
}

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

/**
 * Staff see every ticket; anyone else sees the tickets they are the requester of. Having logged a
 * ticket grants nothing by itself: requesters can only report for themselves, so a ticket logged
 * for someone else was logged by staff, and a former agent loses it with the role (access follows
 * the current role, never the one held when the ticket was logged).
 */
export function canSeeTicket(actor: Actor, ticket: { requesterId: string }): boolean {
  return isStaff(actor) || ticket.requesterId === actor.id;
}

/**
 * Who may follow a ticket: anyone who can see it, and anyone at all while it is a known issue (an
 * open incident of global scope, listed for every signed-in person in the portal). Once
 * followed, a person keeps hearing of its public updates until it is resolved or they stop.
 */
export function canFollowTicket(
  actor: Actor,
  ticket: { requesterId: string; kind: TicketKind; scope: Scope; state: TicketState },
): boolean {
  return canSeeTicket(actor, ticket) || (ticket.kind === 'incident' && ticket.scope === 'global' && OPEN_STATES.includes(ticket.state));
}

/** Work notes and other internal events are for staff only. */
export function canSeeInternal(actor: Actor): boolean {
  return isStaff(actor);
}

/**
 * The moves a requester may make on their own ticket: confirm a fix (close), reopen it when the
 * fix did not hold, or withdraw it (cancel). Everything else is the service desk's work.
 */
const REQUESTER_MOVES: readonly TicketState[] = ['closed', 'in_progress', 'cancelled'];

export function canRequestMove(actor: Actor, from: TicketState, to: TicketState): boolean {
  if (isStaff(actor)) return true;
  if (to === 'in_progress') return from === 'resolved';
  return REQUESTER_MOVES.includes(to);
}
