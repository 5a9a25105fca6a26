import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket } from '../../../core/permissions.js';
import { allowedMoves, type LifecycleResult, type LifecycleSnapshot } from '../../../core/ticket-state-machine.js';
import type { Tx } from '../db/client.js';
import { lockTicket, type NewTicketRow, type TicketRow } from '../repositories/tickets.repository.js';
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

type AcceptedMove = Extract<LifecycleResult, { ok: true }>;

/** The state machine's answer, or the refusal as an error naming the field or the moves allowed. */
export function expectOk(ticket: TicketRow, result: LifecycleResult): AcceptedMove {
  if (result.ok) return result;
  const refusal = result.refusal;
  if (refusal.kind === 'missing_field') throw fieldError('validation_failed', refusal.field, refusal.message);
  const allowed = allowedMoves(ticket.state);
  throw new AppError(
    'illegal_transition',
    allowed.length === 0
      ? `${ticket.number} is ${ticket.state}, a final state: it cannot change any more`
      : `${ticket.number} cannot move from ${refusal.from} to ${refusal.to}; from ${refusal.from} it can move to: ${allowed.join(', ')}`,
    { extra: { from: refusal.from, to: refusal.to, allowed } },
  );
}

/** The row fields an accepted state move writes: the lifecycle's fields and the moments it marks. */
export function transitionPatch({ next, action }: AcceptedMove, now: Date): Partial<NewTicketRow> {
  const patch: Partial<NewTicketRow> = {
    state: next.state,
    assigneeId: next.assigneeId,
    onHoldReason: next.onHoldReason,
    resolutionCode: next.resolutionCode,
    resolutionNotes: next.resolutionNotes,
  };
  if (next.state === 'resolved') patch.resolvedAt = now;
  if (action === 'reopen') patch.resolvedAt = null;
  if (next.state === 'closed' || next.state === 'cancelled') patch.closedAt = now;
  return patch;
}
