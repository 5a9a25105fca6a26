import { type SlaTarget, slaNoteBody } from '../../../core/sla-policy.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { hasSlaEvent } from '../repositories/sla.repository.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyEscalation } from './escalation.service.js';
import { slaOf } from './sla.service.js';
import { applyTicketChange } from './ticket-change.js';

/**
 * The timer: recomputes the clock and, if the warning or breach point has really been reached
 * and is not yet on the timeline, records it there (internal: for the desk). Idempotent.
 */
export async function checkSlaTimer(
  deps: ServiceDeps,
  payload: { ticketId: string; target: SlaTarget; kind: 'warning' | 'breach' },
): Promise<'recorded' | 'nothing_due'> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, payload.ticketId);
    if (!ticket) return 'nothing_due';
    const now = deps.clock.now();
    const { policy, targets } = await slaOf(tx, ticket, now, undefined, deps.configCache);
    const clock = targets.find((c) => c.target === payload.target);
    if (!clock || clock.status === 'met' || clock.status === 'paused') return 'nothing_due';
    const reached = payload.kind === 'warning' ? clock.warnAt : clock.dueAt;
    if (!reached || reached.getTime() > now.getTime()) return 'nothing_due';
    const type = payload.kind === 'warning' ? 'sla_warning' : 'sla_breached';
    if (await hasSlaEvent(tx, ticket.id, type, clock.target, clock.policyId)) return 'nothing_due';
    const body = slaNoteBody(payload.kind, clock);
    // A note: the clock's fields did not change (no new version); the desk hears of it.
    await applyTicketChange(tx, {
      before: ticket,
      patch: {},
      bumpsVersion: false,
      actor: null,
      at: now,
      configCache: deps.configCache,
      events: [
        {
          internal: true,
          type,
          body,
          data: { target: clock.target, policyId: clock.policyId, dueAt: clock.dueAt?.toISOString() ?? null },
        },
      ],
    });
    // On breach: functional escalation to the next-tier team, and/or hierarchical escalation to
    // the team's manager or a named person, as the policy says; each is its own timeline entry.
    if (payload.kind === 'breach' && OPEN_STATES.includes(ticket.state) && policy) {
      let current = ticket;
      if (policy.breachEscalateToTeamId && policy.breachEscalateToTeamId !== ticket.teamId) {
        current = await applyEscalation(
          tx,
          current,
          { kind: 'functional', toTeamId: policy.breachEscalateToTeamId, reason: `Automatic: ${body}` },
          null,
          now,
        );
      }
      if (policy.breachEscalateToUserId || policy.breachEscalateToManager) {
        // A named person who has left since falls back to the manager rather than failing the timer.
        const named = policy.breachEscalateToUserId ? await findUserById(tx, policy.breachEscalateToUserId) : undefined;
        await applyEscalation(
          tx,
          current,
          { kind: 'hierarchical', toUserId: named?.active ? named.id : undefined, reason: `Automatic: ${body}` },
          null,
          now,
        );
      }
    }
    return 'recorded';
  });
}
