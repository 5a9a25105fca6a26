import { hasRoleAtLeast, type Role, type TicketState } from './vocabulary.js';

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
