import { autoResolveBlocker } from '../../../core/alerts/auto-resolve.js';
import { ruleAt } from '../../../core/alerts/routing.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { listAlertsOfTicket } from '../repositories/alerts.repository.js';
import { findIntegrationById } from '../repositories/integrations.repository.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { integrationActor } from './integrations.service.js';
import { applyTicketChange } from './ticket-change.js';
import { transitionTicket } from './ticket-work.service.js';

/**
 * Resolves the ticket if every alert on it is resolved, every alert's rule allows it, and no
 * person has worked it (see core autoResolveBlocker); otherwise leaves it and, when a person's
 * work is what stops it, says so in a work note. Idempotent: a second run finds it resolved.
 */
export async function resolveTicketIfQuiet(
  deps: ServiceDeps,
  job: { ticketId: string; integrationId: string },
): Promise<'resolved' | 'left'> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, job.ticketId);
    const integration = await findIntegrationById(tx, job.integrationId);
    if (!ticket || !integration || !OPEN_STATES.includes(ticket.state)) return 'left';
    const alerts = await listAlertsOfTicket(tx, ticket.id);
    if (alerts.length === 0 || alerts.some((a) => a.status === 'firing')) return 'left';
    const rulesAllow = alerts.every((a) => {
      const rule = ruleAt(integration.rules, a.ruleIndex);
      return rule.autoResolve;
    });
    if (!rulesAllow) return 'left';
    const actor = integrationActor(integration);
    const events = await listTimelineEvents(tx, { ticketId: ticket.id, includeInternal: true, limit: 10_000 });
    const blocker = autoResolveBlocker(events, integration.userId);
    const now = deps.clock.now();
    if (blocker) {
      await applyTicketChange(tx, {
        before: ticket,
        patch: {},
        actor,
        at: now,
        events: [
          {
            type: 'work_note',
            internal: true,
            body: `All ${alerts.length} alert(s) on this ticket have resolved. Left as it is, because ${blocker}.`,
            data: { alertsResolved: alerts.length, leftBecause: blocker },
          },
        ],
      });
      return 'left';
    }
    await transitionTicket({ db: tx, clock: deps.clock }, actor, ticket.id, {
      to: 'resolved',
      resolutionCode: 'resolved_by_monitoring',
      resolutionNotes: `Resolved by ${integration.name}: all ${alerts.length} alert(s) resolved (${alerts
        .slice(0, 5)
        .map((a) => a.summary)
        .join('; ')}${alerts.length > 5 ? '; …' : ''}).`,
    });
    return 'resolved';
  });
}
