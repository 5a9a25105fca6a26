import { AppError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket } from '../../../core/permissions.js';
import type { LifecycleSnapshot } from '../../../core/ticket-state-machine.js';
import type { Tx } from '../db/client.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import { findUserById } from '../repositories/users.repository.js';

/**
 * Locks a ticket for a write inside the caller's transaction and checks that the actor may see
 * it and, when the caller sent If-Match, that nobody changed it since they read it.
 */
export async function lockTicketForWrite(tx: Tx, actor: Actor, id: string, expectedVersion?: number): Promise<TicketRow> {
  const ticket = await lockTicket(tx, id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  if (expectedVersion !== undefined && expectedVersion !== ticket.version) {
    const changedBy = ticket.updatedById ? await findUserById(tx, ticket.updatedById) : undefined;
    throw new AppError(
      'stale_version',
      `${ticket.number} was changed by ${changedBy?.name ?? (ticket.updatedById ? 'someone else' : 'Firebreak (automatically)')} since you loaded it (you have version ${expectedVersion}, it is now at ${ticket.version}). Reload it and try again.`,
      { extra: { currentVersion: ticket.version, changedBy: changedBy ? { id: changedBy.id, name: changedBy.name } : null } },
    );
  }
  return ticket;
}

export function snapshotOf(ticket: TicketRow): LifecycleSnapshot {
  return {
    state: ticket.state,
    assigneeId: ticket.assigneeId,
    onHoldReason: ticket.onHoldReason,
    resolutionCode: ticket.resolutionCode,
    resolutionNotes: ticket.resolutionNotes,
  };
}
