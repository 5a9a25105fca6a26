import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import { AppError } from '../../../core/errors.js';
import type { Db } from '../db/client.js';
import { deliverJob } from '../jobs/specs/notification-deliver.job-spec.js';
import { digestJob } from '../jobs/specs/notification-digest.job-spec.js';
import { statusConfirmMailJob } from '../jobs/specs/status-confirm-mail.job-spec.js';
import { statusDeliverJob } from '../jobs/specs/status-deliver.job-spec.js';
import {
  countHeldJobs,
  type DeadJobInContext,
  listDeadJobsInContext,
  releaseHeldJobs,
  reviveDeadJobs,
} from '../repositories/jobs.repository.js';
import type { ServiceDeps } from './deps.js';

/** The job kinds that send e-mail: held while e-mail out is off. */
export const MAIL_JOB_KINDS = [deliverJob.kind, digestJob.kind, statusDeliverJob.kind, statusConfirmMailJob.kind];

/** Failed work pages by when each job finished, then its id (job ids are text, not UUIDs). */
const deadJobCursor = keysetCursor('base64url-json', ['instant', 'text']);

/**
 * Background work that failed on every attempt: the deliveries and timers an admin has to know
 * about, with what each was about, oldest first, a page at a time (pass nextCursor as cursor).
 */
export async function listFailedWork(
  db: Db,
  q: { limit: number; cursor?: string },
): Promise<{ items: DeadJobInContext[]; nextCursor: string | null }> {
  const after = q.cursor === undefined ? undefined : deadJobCursor.decode(q.cursor);
  const rows = await listDeadJobsInContext(db, q.limit + 1, after && { finishedAt: after[0], id: after[1] });
  const page = keysetPage(rows, q.limit, deadJobCursor, ({ cursorAt, job }) => [cursorAt, job.id]);
  return { items: page.items.map(({ cursorAt: _, ...row }) => row), nextCursor: page.nextCursor };
}

/**
 * Runs failed work again, now, with a fresh count of attempts: after the admin fixed the cause
 * (brought a webhook receiver back), timers and deliveries are not lost. Handlers are
 * idempotent, so a notification already sent is not sent twice. Returns the ids put back; ids
 * that are not (or no longer) dead are left alone.
 */
export async function retryFailedWork(deps: ServiceDeps, which: { ids: readonly string[] } | 'all'): Promise<string[]> {
  return reviveDeadJobs(deps.db, which, deps.clock.now());
}

/**
 * Mails kept unsent while e-mail out was off. They are not failed work: turning e-mail off is a
 * normal way to run Firebreak (people are told in the app). Each ticket's delivery log says
 * "not sent: e-mail out was off".
 */
export async function countUnsentMail(db: Db): Promise<number> {
  return countHeldJobs(db, MAIL_JOB_KINDS);
}

/**
 * Sends the mails kept while e-mail out was off, now that it is on (an admin's choice: they may
 * be old news). Refused while e-mail out is still off. Returns how many were queued.
 */
export async function sendUnsentMail(deps: ServiceDeps, emailOut: boolean): Promise<number> {
  if (!emailOut) {
    throw new AppError('unprocessable', 'E-mail out is off: set FIREBREAK_SMTP_URL and restart Firebreak, then send these mails.');
  }
  return releaseHeldJobs(deps.db, MAIL_JOB_KINDS, deps.clock.now());
}
