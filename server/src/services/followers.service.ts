import { notFound } from '../../../core/errors.js';
import { type Actor, canFollowTicket } from '../../../core/permissions.js';
import { addFollower, listFollowedTickets, removeFollower } from '../repositories/followers.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';

/** How many followed tickets the portal lists. */
const FOLLOWED_SHOWN = 50;

/**
 * Follows a ticket: its public updates and its resolution reach the person like their own
 * ticket's. A ticket they may not follow is answered like one that does not exist.
 */
export async function followTicket(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<void> {
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket || !canFollowTicket(actor, ticket)) throw notFound('ticket');
  await addFollower(deps.db, ticket.id, actor.id, deps.clock.now());
}

/** Stops following; never following it is no error (the outcome is the same). */
export async function unfollowTicket(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<void> {
  await removeFollower(deps.db, ticketId, actor.id);
}

export function myFollowedTickets(deps: ServiceDeps, actor: Actor) {
  return listFollowedTickets(deps.db, actor.id, FOLLOWED_SHOWN);
}
