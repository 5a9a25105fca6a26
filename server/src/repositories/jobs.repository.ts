import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { ExactInstant } from '../../../core/cursors.js';
import { type Db, rowsOf } from '../db/client.js';
import { jobs, notifications, tickets } from '../db/schema/index.js';
import { afterKey, exactInstant } from './keyset.js';

export type JobRow = typeof jobs.$inferSelect;

/**
 * Inserts job rows in the caller's transaction, in one statement. An id that exists changes
 * nothing, so a timer is scheduled once however many times it is asked for. Services schedule
 * through `jobs/schedule.ts`, which derives each row from its kind's spec; this raw insert is
 * for that and for tests of the runner itself. Answers the ids this statement inserted: an id it
 * left out was already there, committed.
 */
export async function insertJobs(
  db: Db,
  rows: readonly { id: string; kind: string; payload: Record<string, unknown>; runAt: Date; maxAttempts?: number }[],
  now: Date,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insert(jobs)
    .values(
      rows.map((job) => ({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        runAt: job.runAt,
        maxAttempts: job.maxAttempts ?? 8,
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  return inserted.map((row) => row.id);
}

/** `insertJobs` for one row. */
export async function insertJob(
  db: Db,
  job: { id: string; kind: string; payload: Record<string, unknown>; runAt: Date; maxAttempts?: number; now: Date },
): Promise<void> {
  await insertJobs(db, [job], job.now);
}

/**
 * Claims up to `limit` due jobs for this worker: pending ones whose time has come, and running
 * ones whose claim expired (their worker died). SKIP LOCKED lets several workers claim side by
 * side without waiting on each other or taking the same row.
 */
export async function claimDueJobs(db: Db, now: Date, leaseMs: number, limit: number): Promise<JobRow[]> {
  const lockedUntil = new Date(now.getTime() + leaseMs);
  const result = await db.execute(sql`
    UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ${lockedUntil.toISOString()}::timestamptz
    WHERE id IN (
      SELECT id FROM jobs
      WHERE state IN ('pending', 'running') AND run_at <= ${now.toISOString()}::timestamptz
        AND (state = 'pending' OR locked_until < ${now.toISOString()}::timestamptz)
      ORDER BY run_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, kind, payload, state, run_at AS "runAt", attempts, max_attempts AS "maxAttempts",
      locked_until AS "lockedUntil", last_error AS "lastError", created_at AS "createdAt", finished_at AS "finishedAt"`);
  return rowsOf<JobRow>(result).map((row) => ({
    ...row,
    runAt: new Date(row.runAt),
    lockedUntil: row.lockedUntil ? new Date(row.lockedUntil) : null,
    createdAt: new Date(row.createdAt),
    finishedAt: row.finishedAt ? new Date(row.finishedAt) : null,
  }));
}

/**
 * Marks claimed jobs done, in one statement; a job whose claim was lost to another worker
 * meanwhile (its attempt moved on) is left to that worker.
 */
export async function completeJobs(db: Db, claims: readonly { id: string; attempt: number }[], now: Date): Promise<void> {
  if (claims.length === 0) return;
  await db.execute(sql`
    UPDATE jobs SET state = 'done', finished_at = ${now.toISOString()}::timestamptz, locked_until = NULL, last_error = NULL
    FROM jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) AS c(id text, attempt int)
    WHERE jobs.id = c.id AND jobs.state = 'running' AND jobs.attempts = c.attempt`);
}

/**
 * Deletes up to `limit` done jobs that finished before `before` (the partial index on
 * `finished_at` of done rows finds them); answers how many. Only done rows: dead ones are Failed
 * work until an admin acts, pending, running and held ones are still to do.
 */
export async function deleteDoneJobsBefore(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`
    DELETE FROM jobs WHERE id IN (
      SELECT id FROM jobs WHERE state = 'done' AND finished_at < ${before.toISOString()}::timestamptz LIMIT ${limit})
    RETURNING 1`);
  return rowsOf(result).length;
}

/** Puts a failed job back for a later try, or parks it as dead with its error. */
export async function failJob(
  db: Db,
  id: string,
  attempt: number,
  outcome: { retryAt: Date | null; error: string; now: Date },
): Promise<void> {
  await db
    .update(jobs)
    .set(
      outcome.retryAt
        ? { state: 'pending', runAt: outcome.retryAt, lockedUntil: null, lastError: outcome.error }
        : { state: 'dead', finishedAt: outcome.now, lockedUntil: null, lastError: outcome.error },
    )
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)));
}

/** Puts a claimed job back to run later without counting the attempt (it never really started). */
export async function deferJob(db: Db, id: string, attempt: number, runAt: Date): Promise<void> {
  await db
    .update(jobs)
    .set({ state: 'pending', runAt, lockedUntil: null, attempts: sql`${jobs.attempts} - 1` })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)));
}

/** Holds a job that cannot run as Firebreak is set up (e-mail out off), with the reason. */
export async function holdJob(db: Db, id: string, attempt: number, outcome: { reason: string; now: Date }): Promise<void> {
  await db
    .update(jobs)
    .set({ state: 'held', finishedAt: outcome.now, lockedUntil: null, lastError: outcome.reason })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)));
}

/** The kinds of jobs still to run (pending, running or held), with how many of each. */
export async function countUnfinishedJobsByKind(db: Db): Promise<{ kind: string; n: number }[]> {
  return db
    .select({ kind: jobs.kind, n: count() })
    .from(jobs)
    .where(inArray(jobs.state, ['pending', 'running', 'held']))
    .groupBy(jobs.kind)
    .orderBy(asc(jobs.kind));
}

/** How many held jobs of these kinds wait (mails kept while e-mail out was off). */
export async function countHeldJobs(db: Db, kinds: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.state, 'held'), inArray(jobs.kind, [...kinds])));
  return row?.n ?? 0;
}

/** Puts held jobs of these kinds back to run now, with fresh attempts. Returns how many moved. */
export async function releaseHeldJobs(db: Db, kinds: readonly string[], now: Date): Promise<number> {
  const moved = await db
    .update(jobs)
    .set({ state: 'pending', attempts: 0, runAt: now, finishedAt: null, lockedUntil: null })
    .where(and(eq(jobs.state, 'held'), inArray(jobs.kind, [...kinds])))
    .returning({ id: jobs.id });
  return moved.length;
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

/** A dead job with what it was about: the notification it delivered and the ticket, if any. */
export interface DeadJobInContext {
  job: JobRow;
  ticketId: string | null;
  ticketNumber: string | null;
  delivery: { channel: string; address: string; subject: string } | null;
}

/** A timer names its ticket in its payload; only a well-formed id is looked up. */
const payloadTicketId = sql`CASE WHEN ${jobs.payload}->>'ticketId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  THEN (${jobs.payload}->>'ticketId')::uuid END`;

/**
 * Dead jobs, oldest first, each with its notification (a delivery's job id is
 * `notification.deliver:<notification id>`) and its ticket's number, in one query; `after`
 * continues a page after the last job of the previous one (keyset on finished_at, id).
 */
export async function listDeadJobsInContext(
  db: Db,
  limit: number,
  after?: { finishedAt: ExactInstant; id: string },
): Promise<(DeadJobInContext & { cursorAt: ExactInstant })[]> {
  const rows = await db
    .select({
      job: jobs,
      // finished_at exact to the microsecond, for the page's cursor (a dead job always has finished).
      cursorAt: exactInstant(sql`COALESCE(${jobs.finishedAt}, 'epoch'::timestamptz)`),
      channel: notifications.channel,
      address: notifications.address,
      subject: notifications.subject,
      ticketId: tickets.id,
      ticketNumber: tickets.number,
    })
    .from(jobs)
    .leftJoin(
      notifications,
      and(eq(jobs.kind, 'notification.deliver'), sql`${notifications.id}::text = substr(${jobs.id}, length('notification.deliver:') + 1)`),
    )
    .leftJoin(tickets, eq(tickets.id, sql`COALESCE(${notifications.ticketId}, ${payloadTicketId})`))
    .where(and(eq(jobs.state, 'dead'), after ? afterKey([jobs.finishedAt, jobs.id], [after.finishedAt, after.id], 'asc') : undefined))
    .orderBy(asc(jobs.finishedAt), asc(jobs.id))
    .limit(limit);
  return rows.map(({ job, cursorAt, channel, address, subject, ticketId, ticketNumber }) => ({
    job,
    cursorAt,
    ticketId,
    ticketNumber,
    delivery: channel ? { channel, address: address ?? '', subject: subject ?? '' } : null,
  }));
}

/**
 * Puts dead jobs back to run now, with their attempts counted afresh (an admin fixed what made
 * them fail, e.g. set the SMTP server). Their last error stays until they succeed. Only dead
 * jobs move: one another admin retried meanwhile is not counted twice. Returns the ids moved.
 */
export async function reviveDeadJobs(db: Db, which: { ids: readonly string[] } | 'all', now: Date): Promise<string[]> {
  const result = await db.execute(sql`
    UPDATE jobs SET state = 'pending', attempts = 0, run_at = ${now.toISOString()}::timestamptz, finished_at = NULL, locked_until = NULL
    WHERE state = 'dead' ${which === 'all' ? sql`` : sql`AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(which.ids)}::jsonb))`}
    RETURNING id`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/** When the next pending job falls due, so a worker can sleep exactly until then. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [row] = rowsOf<{ at: Date | string | null }>(await db.execute(sql`SELECT min(run_at) AS at FROM jobs WHERE state = 'pending'`));
  return row?.at ? new Date(row.at) : null;
}
