import { AppError } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import type { Level } from '../../../core/vocabulary.js';
import { moveAlertsToTicket } from '../repositories/alerts.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket } from './ticket-work.service.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

export interface PromoteInput {
  reason: string;
  impact?: Level;
  urgency?: Level;
  title?: string;
}

/**
 * Promotes a disturbance to an incident, in one transaction: a new incident (through the intake
 * service, so priority, routing and SLAs apply) that points back at the disturbance, its alerts
 * moved to the incident, a `promoted` event on both, and the disturbance resolved as
 * promoted_to_incident. The disturbance keeps its own history; nothing is copied or lost.
 */
export async function promoteDisturbance(
  deps: ServiceDeps,
  actor: Actor,
  disturbanceId: string,
  input: PromoteInput,
  expectedVersion?: number,
): Promise<{ incident: TicketRow; disturbance: TicketRow }> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can promote a disturbance');
  return deps.db.transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock };
    const disturbance = await lockTicketForWrite(tx, actor, disturbanceId, expectedVersion);
    if (disturbance.kind !== 'disturbance') {
      throw new AppError(
        'illegal_transition',
        `${disturbance.number} is a ${disturbance.kind.replace('_', ' ')}: only disturbances are promoted`,
        {
          extra: { allowed: [] },
        },
      );
    }
    if (!['new', 'assigned', 'in_progress', 'on_hold'].includes(disturbance.state)) {
      throw new AppError('illegal_transition', `${disturbance.number} is ${disturbance.state}: only an open disturbance can be promoted`, {
        extra: { allowed: [] },
      });
    }
    const { ticket: incident } = await reportTicket(
      txDeps,
      actor,
      {
        kind: 'incident',
        title: input.title ?? disturbance.title,
        description: `${disturbance.description}\n\nPromoted from disturbance ${disturbance.number}: ${input.reason}`.slice(0, 20_000),
        requesterId: disturbance.requesterId,
        channel: disturbance.channel,
        serviceId: disturbance.serviceId,
        categoryId: disturbance.categoryId,
        subcategoryId: disturbance.subcategoryId,
        impact: input.impact ?? (disturbance.impact as Level),
        urgency: input.urgency ?? (disturbance.urgency as Level),
        scope: disturbance.scope,
        teamId: disturbance.teamId,
        assigneeId: disturbance.assigneeId,
      },
      { defaultChannel: disturbance.channel },
    );
    const now = deps.clock.now();
    await moveAlertsToTicket(tx, disturbance.id, incident.id);
    // The links on both, told like any change: webhooks mirroring tickets learn that the new
    // incident continues the disturbance (not an unrelated ticket opening while another resolves),
    // and the disturbance's requester and followers hear that it moved and where — instead of a
    // "resolved, please confirm the fix" for a disruption that is in fact still being worked.
    const { ticket: linked } = await applyTicketChange(tx, {
      before: incident,
      patch: { promotedFromId: disturbance.id },
      actor,
      at: now,
      events: [
        {
          type: 'promoted',
          body: `Promoted from disturbance ${disturbance.number}: ${input.reason}`,
          data: { from: { id: disturbance.id, number: disturbance.number } },
        },
      ],
    });
    await applyTicketChange(tx, {
      before: disturbance,
      patch: {},
      bumpsVersion: false, // the resolution just below makes its new version
      actor,
      at: now,
      events: [
        {
          type: 'promoted',
          body: `Promoted to incident ${incident.number}: ${input.reason}`,
          data: { to: { id: incident.id, number: incident.number } },
        },
      ],
    });
    const resolved = await transitionTicket(txDeps, actor, disturbance.id, {
      to: 'resolved',
      resolutionCode: 'promoted_to_incident',
      resolutionNotes: `Promoted to incident ${incident.number}. ${input.reason}`,
    });
    return { incident: linked, disturbance: resolved };
  });
}
