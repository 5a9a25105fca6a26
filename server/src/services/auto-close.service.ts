import { applyTransition } from '../../../core/ticket-state-machine.js';
import type { Db } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { autoCloseJob } from '../jobs/specs/auto-close.job-spec.js';
import { readSetting } from '../repositories/settings.repository.js';
import { lockTicket, saveTicket } from '../repositories/tickets.repository.js';
import { appendTimelineEvents } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { snapshotOf } from './ticket-write.helpers.js';

/**
 * A resolved ticket the requester never confirms is closed automatically after some days
 * without a reply, so resolved queues do not grow forever. The timer is a durable job written
 * in the same transaction as the resolve, so it survives restarts and fires once.
 */
const SETTING = 'auto_close_days';
export const DEFAULT_AUTO_CLOSE_DAYS = 7;

export async function getAutoCloseDays(db: Db): Promise<number> {
  return (await readSetting<number>(db, SETTING)) ?? DEFAULT_AUTO_CLOSE_DAYS;
}

/** Called inside the resolve's transaction. 0 days turns automatic closing off. */
export async function scheduleAutoClose(tx: Db, ticketId: string, resolvedAt: Date): Promise<void> {
  const days = await getAutoCloseDays(tx);
  if (days <= 0) return;
  await scheduleJob(
    tx,
    autoCloseJob,
    { ticketId, resolvedAt: resolvedAt.toISOString(), days },
    { runAt: new Date(resolvedAt.getTime() + days * 86_400_000), now: resolvedAt },
  );
}

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
    await saveTicket(tx, ticket.id, { state: 'closed', closedAt: now, updatedAt: now, updatedById: null });
    await appendTimelineEvents(tx, [
      {
        ticketId: ticket.id,
        actorId: null,
        at: now,
        internal: false,
        type: 'state_changed',
        changes: [{ field: 'state', from: 'resolved', to: 'closed' }],
        body: `Closed automatically: no reply in the ${payload.days} days after it was resolved.`,
        data: { action: 'close', automatic: true },
      },
    ]);
    return 'closed';
  });
}
