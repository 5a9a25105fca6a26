import type { Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { childResolutionJob } from '../jobs/specs/child-resolution.job-spec.js';
import { hasOpenChildren } from '../repositories/incident-links.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';

/**
 * The follow-up of an incident moving into resolved: its open children resolve with it, in a
 * job (`child-resolution-run.service.ts`) so that a storm's thousands of children do not make
 * the resolution one huge transaction. Nothing is scheduled for an incident without open children.
 */
export async function scheduleChildResolution(tx: Tx, ticket: TicketRow, at: Date): Promise<void> {
  if (!ticket.resolvedAt || !(await hasOpenChildren(tx, ticket.id))) return;
  await scheduleJob(
    tx,
    childResolutionJob,
    { parentId: ticket.id, resolvedAt: ticket.resolvedAt.toISOString(), afterId: null },
    { runAt: at, now: at },
  );
}
