import { reminderToGive } from '../../../core/update-cadence.js';
import { scheduleJob } from '../jobs/schedule.js';
import { updateReminderJob } from '../jobs/specs/update-reminder.job-spec.js';
import { findHolderOfRoleKey } from '../repositories/major-incidents.repository.js';
import { findCadence, markReminded } from '../repositories/stakeholder-updates.repository.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { noteOnIncident } from './major-incident-response.helpers.js';
import { getUpdateCadenceSettings } from './update-cadence.service.js';

const MINUTE = 60_000;

function timeOf(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

/**
 * The cadence timer (job `incident_update.reminder`). At the due time, if no update was sent
 * since, the communications manager (else whoever the incident is assigned to) is reminded
 * ("P1 — next update due now") and the overdue timer is set; after the grace period the incident
 * manager hears it is overdue. The pipeline notifies them from the timeline events (in-app and
 * e-mail, as they chose). A timer whose due time moved (an update was sent) says nothing.
 */
export async function remindOfUpdate(
  deps: ServiceDeps,
  payload: { ticketId: string; dueAt: string; stage: 'due' | 'overdue' },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, payload.ticketId);
    if (!ticket) return;
    const cadence = await findCadence(tx, ticket.id);
    const { graceMinutes } = await getUpdateCadenceSettings(tx);
    const now = deps.clock.now();
    const dueAt = new Date(payload.dueAt);
    const give = reminderToGive({
      stage: payload.stage,
      dueAt,
      now,
      graceMinutes,
      nextDueAt: cadence?.nextDueAt ?? null,
      lastRemindedFor: (payload.stage === 'due' ? cadence?.remindedFor : cadence?.overdueFor) ?? null,
    });
    if (!give) return;
    await markReminded(tx, ticket.id, payload.stage, dueAt, now);
    const communicationsManagerId = (await findHolderOfRoleKey(tx, ticket.id, 'communications_manager')) ?? ticket.assigneeId;
    if (payload.stage === 'due') {
      await noteOnIncident(tx, ticket, null, now, [
        {
          type: 'update_due',
          body: `P${ticket.priority} — next update due now`,
          data: { userId: communicationsManagerId, dueAt: payload.dueAt, priority: ticket.priority },
        },
      ]);
      const overdueAt = new Date(dueAt.getTime() + graceMinutes * MINUTE);
      await scheduleJob(tx, updateReminderJob, { ...payload, stage: 'overdue' }, { runAt: overdueAt, now });
      return;
    }
    const incidentManagerId = (await findHolderOfRoleKey(tx, ticket.id, 'incident_manager')) ?? ticket.assigneeId;
    await noteOnIncident(tx, ticket, null, now, [
      {
        type: 'update_overdue',
        body: `P${ticket.priority} — the update due at ${timeOf(dueAt)} is overdue`,
        data: { incidentManagerId, communicationsManagerId, dueAt: payload.dueAt, priority: ticket.priority },
      },
    ]);
  });
}
