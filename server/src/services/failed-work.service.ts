import type { Db } from '../db/client.js';
import { type DeadJobInContext, listDeadJobsInContext, reviveDeadJobs } from '../repositories/jobs.repository.js';
import type { ServiceDeps } from './deps.js';

/**
 * Background work that failed on every attempt (or could not succeed as configured): the
 * deliveries and timers an admin has to know about, with what each was about.
 */
export async function listFailedWork(db: Db, limit: number): Promise<DeadJobInContext[]> {
  return listDeadJobsInContext(db, limit);
}

/**
 * Runs failed work again, now, with a fresh count of attempts: after the admin fixed the cause
 * (set FIREBREAK_SMTP_URL, brought a webhook receiver back), parked mails and timers are not
 * lost. Handlers are idempotent, so a notification already sent is not sent twice. Returns the
 * ids put back; ids that are not (or no longer) dead are left alone.
 */
export async function retryFailedWork(deps: ServiceDeps, which: { ids: readonly string[] } | 'all'): Promise<string[]> {
  return reviveDeadJobs(deps.db, which, deps.clock.now());
}
