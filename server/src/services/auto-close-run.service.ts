import { applyTransition } from '../../../core/ticket-state-machine.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { completionBeforeAutomaticClose } from './incident-completion.service.js';
import { applyTicketChange } from './ticket-change.js';
import { snapshotOf } from './ticket-write.helpers.js';

/**
 * The job: closes the ticket if it is still in the resolution this timer was set for. A ticket
 * reopened, closed by its requester, or resolved again since then is left alone. Idempotent.
 */
export async function autoCloseResolvedTicket(
  deps: ServiceDeps,
  payload: { ticketId: string; resolvedAt: string; days: number },
): Promise<'closed' | 'skipped'> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, payload.ticketId);
    if (ticket?.state !== 'resolved' || ticket.resolvedAt?.toISOString() !== payload.resolvedAt) return 'skipped';
    const result = applyTransition(snapshotOf(ticket), { to: 'closed', actorId: '' });
    if (!result.ok) return 'skipped';
    const now = deps.clock.now();
    // A major incident waits for its completion checklist: the incident manager closes it when
    // it is done. Said once on the timeline, so nobody wonders why it stayed resolved.
    const completion = await completionBeforeAutomaticClose(tx, ticket);
    if (!completion.complete) {
      await applyTicketChange(tx, {
        before: ticket,
        patch: {},
        actor: null,
        at: now,
        bumpsVersion: false,
        events: [
          {
            type: 'work_note',
            internal: true,
            body: `Not closed automatically: the completion checklist is not done (missing: ${completion.missing.join(', ')}).`,
            data: { automatic: true, checklistMissing: completion.missing },
          },
        ],
      });
      return 'skipped';
    }
    // Through the pipeline like a requester's or agent's close: webhooks and people hear of it.
    await applyTicketChange(tx, {
      before: ticket,
      patch: { state: 'closed', closedAt: now },
      actor: null,
      at: now,
      events: [
        {
          type: 'state_changed',
          changes: [{ field: 'state', from: 'resolved', to: 'closed' }],
          body: `Closed automatically: no reply in the ${payload.days} days after it was resolved.`,
          data: { action: 'close', automatic: true },
        },
      ],
    });
    return 'closed';
  });
}
