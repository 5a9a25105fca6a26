import { AppError, notFound } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange } from './ticket-change.js';

/**
 * POST /tickets/{id}/confirm-priority: the "Confirm" on a held P1. Clearing the hold is the
 * change; the pipeline sees a person settle it and pages now if the ticket is still P1. (Apart
 * from critical-paging, which the pipeline calls, so the two never import each other.)
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
