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

/** Requesters see the tickets they are the requester of, or reported on someone's behalf. */
export function canSeeTicket(actor: Actor, ticket: { requesterId: string; reportedById: string }): boolean {
  return isStaff(actor) || ticket.requesterId === actor.id || ticket.reportedById === actor.id;
}

/**
 * Who may follow a ticket: anyone who can see it, and anyone at all while it is a known issue (an
 * open incident of global scope, listed for every signed-in person in the portal). Once
 * followed, a person keeps hearing of its public updates until it is resolved or they stop.
 */
export function canFollowTicket(
  actor: Actor,
  ticket: { requesterId: string; reportedById: string; kind: TicketKind; scope: Scope; state: TicketState },
): boolean {
  return canSeeTicket(actor, ticket) || (ticket.kind === 'incident' && ticket.scope === 'global' && OPEN_STATES.includes(ticket.state));
}

/**
 * Who may read a known problem's public view (title, state, the desk's public updates, the
 * resolution — never work notes, the description or what requesters wrote): anyone while it is an
 * open global incident, as the portal lists it; afterwards its followers, so the notification
 * of its fix opens what it names; and whoever may see the ticket itself.
 */
export function canReadKnownIssue(
  actor: Actor,
  ticket: { requesterId: string; reportedById: string; kind: TicketKind; scope: Scope; state: TicketState },
  following: boolean,
): boolean {
  if (ticket.kind !== 'incident' || ticket.scope !== 'global') return false;
  return canSeeTicket(actor, ticket) || following || OPEN_STATES.includes(ticket.state);
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
