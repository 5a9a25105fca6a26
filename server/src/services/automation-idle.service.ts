import { stillIdle } from '../../../core/automation/idle.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { findLastIdleActivityAt, hasIdleFiring } from '../repositories/automation.repository.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import { runAutomationRules } from './automation-run.service.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange } from './ticket-change.js';

/**
 * The `automation.idle` timer ran out. If the ticket is still open and nobody replied or wrote a
 * work note after the activity that armed the timer, the `idle` rules of that many hours run, as
 * a change by Firebreak through the one pipeline (in its transaction, with the ticket locked).
 * Otherwise a newer timer is armed already (or the ticket is done): nothing to do.
 */
export async function fireIdleRules(
  deps: ServiceDeps,
  payload: { ticketId: string; hours: number; since: string },
): Promise<'fired' | 'not_idle'> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, payload.ticketId);
    if (!ticket || !OPEN_STATES.includes(ticket.state)) return 'not_idle';
    const armedAt = new Date(payload.since);
    const last = (await findLastIdleActivityAt(tx, ticket.id)) ?? ticket.openedAt;
    if (!stillIdle(last, armedAt)) return 'not_idle';
    // The same stretch's timer may be armed again (a sweep after its done row was cleaned away).
    if (await hasIdleFiring(tx, ticket.id, payload.hours, payload.since)) return 'not_idle';
    const input = {
      before: ticket,
      after: ticket,
      events: [],
      origin: { firedBy: [] },
      at: deps.clock.now(),
      idleHours: payload.hours,
      idleSince: payload.since,
    };
    await runAutomationRules(tx, input, applyTicketChange);
    return 'fired';
  });
}
