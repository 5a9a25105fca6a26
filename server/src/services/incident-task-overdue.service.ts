import { shouldFlagOverdue } from '../../../core/incident-work.js';
import { findHolderOfRoleKey, findTaskById, markTaskOverdueFlagged } from '../repositories/major-incidents.repository.js';
import { lockTicket } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { noteOnIncident } from './major-incident-response.helpers.js';

/**
 * The overdue timer of a response task (job `incident_task.overdue`, at the due time): a task
 * still not done, still due then, is flagged on the incident's timeline; the pipeline notifies
 * the incident manager (and the task's owner) from that event. Runs again harmlessly: each due
 * time is flagged once (`core/incident-work.ts` `shouldFlagOverdue`).
 */
export async function flagOverdueTask(deps: ServiceDeps, payload: { ticketId: string; taskId: string; dueAt: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    // The incident first, as every writer of its response does, so the task cannot change meanwhile.
    const ticket = await lockTicket(tx, payload.ticketId);
    const task = await findTaskById(tx, payload.taskId);
    if (!ticket || !task) return;
    const now = deps.clock.now();
    if (!shouldFlagOverdue(task, new Date(payload.dueAt), now)) return;
    await markTaskOverdueFlagged(tx, task.id, now);
    const incidentManagerId = await findHolderOfRoleKey(tx, ticket.id, 'incident_manager');
    await noteOnIncident(tx, ticket, null, now, [
      {
        type: 'task_overdue',
        body: `Task overdue: ${task.title}`,
        data: { taskId: task.id, dueAt: payload.dueAt, ownerId: task.ownerId, incidentManagerId },
      },
    ]);
  });
}
