import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { autoCloseJob } from '../jobs/specs/auto-close.job-spec.js';
import { readSetting } from '../repositories/settings.repository.js';

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
export async function scheduleAutoClose(tx: Tx, ticketId: string, resolvedAt: Date): Promise<void> {
  const days = await getAutoCloseDays(tx);
  if (days <= 0) return;
  await scheduleJob(
    tx,
    autoCloseJob,
    { ticketId, resolvedAt: resolvedAt.toISOString(), days },
    { runAt: new Date(resolvedAt.getTime() + days * 86_400_000), now: resolvedAt },
  );
}
