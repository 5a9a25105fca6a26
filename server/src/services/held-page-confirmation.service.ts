import { AppError, notFound } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange } from './ticket-change.js';

/**
 * POST /tickets/{id}/confirm-priority: the "Confirm" on a held P1. Clearing the hold is the
 * change; the pipeline sees a person settle it and pages now if the ticket is still P1. (Apart
 * from critical-paging, which the pipeline calls, so the two never import each other; so is the
 * held-page timer below.)
 */
export async function confirmHeldPage(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<TicketRow> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can confirm a priority');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (!ticket) throw notFound('ticket');
    if (!ticket.pageHeldSince) {
      throw new AppError('illegal_transition', `${ticket.number} is not waiting for its priority to be confirmed`, {
        extra: { allowed: [] },
      });
    }
    const { ticket: saved } = await applyTicketChange(tx, {
      before: ticket,
      patch: { pageHeldSince: null },
      actor,
      at: deps.clock.now(),
      events: [],
    });
    return saved;
  });
}

/**
 * The `page.held` job: the delay ran out, or an alert corroborated it, and nobody confirmed or
 * changed the priority since. Clearing the hold is the change, made by Firebreak; the pipeline
 * pages if the ticket is still an open P1, with why it was held. A hold that ended meanwhile (or
 * a later one, since another instant) makes this a no-op.
 */
export async function handleHeldPageTimeout(
  deps: ServiceDeps,
  payload: { ticketId: string; heldSince: string; corroboratedBy?: string },
): Promise<'released' | 'nothing_due'> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, payload.ticketId);
    if (!ticket?.pageHeldSince || ticket.pageHeldSince.toISOString() !== payload.heldSince) return 'nothing_due';
    const now = deps.clock.now();
    const minutes = Math.round((now.getTime() - ticket.pageHeldSince.getTime()) / 60_000);
    await applyTicketChange(tx, {
      before: ticket,
      patch: { pageHeldSince: null },
      actor: null,
      at: now,
      events: [],
      releasedBecause: payload.corroboratedBy
        ? `reported by its requester; monitoring confirmed it with ${payload.corroboratedBy}`
        : `reported by its requester; not confirmed in ${minutes} minutes`,
    });
    return 'released';
  });
}
