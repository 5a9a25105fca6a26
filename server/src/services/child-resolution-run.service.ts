import { applyTransition } from '../../../core/ticket-state-machine.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { scheduleJob } from '../jobs/schedule.js';
import { childResolutionJob } from '../jobs/specs/child-resolution.job-spec.js';
import { listOpenChildIds } from '../repositories/incident-links.repository.js';
import { findTicketById, lockTicket } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange } from './ticket-change.js';
import { snapshotOf } from './ticket-write.helpers.js';

/** Children resolved per job: one transaction each, so a storm's resolution never holds thousands of locks. */
export const CHILD_RESOLUTION_BATCH = 100;

/**
 * One batch of a resolved incident's open children, each resolved through the pipeline with the
 * incident's resolution code and public resolution note (so its requester hears them, by the
 * notification rules), then the next batch is scheduled. Stops when the incident is no longer
 * in the resolution the job was scheduled for (reopened), or no child is left.
 */
export async function resolveChildrenBatch(
  deps: ServiceDeps,
  payload: { parentId: string; resolvedAt: string; afterId: string | null },
  batchSize = CHILD_RESOLUTION_BATCH,
): Promise<{ resolved: number; more: boolean }> {
  return deps.db.transaction(async (tx) => {
    const parent = await findTicketById(tx, payload.parentId);
    if (parent?.state !== 'resolved' || parent.resolvedAt?.toISOString() !== payload.resolvedAt) return { resolved: 0, more: false };
    const ids = await listOpenChildIds(tx, parent.id, payload.afterId, batchSize);
    const now = deps.clock.now();
    let resolved = 0;
    for (const id of ids) {
      const child = await lockTicket(tx, id);
      if (!child || child.parentId !== parent.id || !OPEN_STATES.includes(child.state)) continue;
      // A child without an owner takes the incident's: a resolved ticket always has one.
      const result = applyTransition(snapshotOf(child), {
        to: 'resolved',
        resolutionCode: parent.resolutionCode ?? 'solved_permanently',
        resolutionNotes: parent.resolutionNotes ?? `Resolved with ${parent.number}.`,
        actorId: parent.assigneeId ?? child.assigneeId ?? '',
      });
      if (!result.ok || !result.next.assigneeId) continue;
      await applyTicketChange(tx, {
        before: child,
        actor: null,
        at: now,
        patch: {
          state: 'resolved',
          assigneeId: result.next.assigneeId,
          onHoldReason: null,
          resolutionCode: result.next.resolutionCode,
          resolutionNotes: result.next.resolutionNotes,
          resolvedAt: now,
        },
        events: [
          {
            type: 'state_changed',
            changes: [
              { field: 'state', from: child.state, to: 'resolved' },
              ...(child.assigneeId !== result.next.assigneeId
                ? [{ field: 'assigneeId', from: child.assigneeId, to: result.next.assigneeId }]
                : []),
              { field: 'resolutionCode', from: child.resolutionCode, to: result.next.resolutionCode },
            ],
            body: result.next.resolutionNotes,
            data: { action: 'resolve', withParent: { id: parent.id, number: parent.number } },
          },
        ],
      });
      resolved += 1;
    }
    const more = ids.length === batchSize;
    if (more) {
      await scheduleJob(tx, childResolutionJob, { ...payload, afterId: ids[ids.length - 1] }, { runAt: now, now });
    }
    return { resolved, more };
  });
}
