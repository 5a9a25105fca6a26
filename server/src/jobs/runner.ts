import type { z } from 'zod';
import { type PayloadIssue, unreadablePayloadReason } from '../../../core/job-problems.js';
import { retryDelay } from '../../../core/retry.js';
import type { Clock } from '../adapters/clock.js';
import type { Db } from '../db/client.js';
import { claimDueJobs, completeJobs, deferJob, failJob, holdJob, type JobRow, nextDueAt } from '../repositories/jobs.repository.js';
import type { ConfigCache } from '../services/config-cache.js';
import { DeferredJobError, HeldJobError, PermanentJobError } from './errors.js';
import type { PayloadSchema } from './job-spec.js';

/**
 * The job runner: claims due rows, parses each payload with its kind's schema, runs the kind's
 * handler, and records the outcome. Handlers must be idempotent: a worker that dies mid-job loses
 * its claim when the lease runs out, and another worker runs the job again (at least once;
 * exactly once while workers stay up).
 */

/** What every handler gets: the database and the clock, and the server's configuration cache when it has one. */
export interface JobContext {
  db: Db;
  clock: Clock;
  /** Timers and deliveries read the same configuration as requests: 20,000 SLA timers may fall due at once. */
  configCache?: ConfigCache;
}

/** A claimed job, its payload parsed by its kind's schema. */
export type Job<P = Record<string, unknown>> = Omit<JobRow, 'payload'> & { payload: P };

export type JobHandler<P = Record<string, unknown>> = (job: Job<P>, deps: JobContext) => Promise<void>;

/**
 * A handler that takes all the jobs of its kind a sweep claimed at once, so many jobs can share
 * one read and one write (deliveries). It answers per job, in order: null when done, or the error
 * that job failed with (it is retried alone, like any failed job).
 */
export interface BatchJobHandler<P = Record<string, unknown>> {
  batch: (jobs: Job<P>[], deps: JobContext) => Promise<(Error | null)[]>;
}

/** What the runner needs of a kind: the schema its payloads must fit, and its handler. */
export interface RunnableJob {
  payload: PayloadSchema;
  handler: JobHandler | BatchJobHandler;
}

/** Kind → what runs it (registry.ts builds it from the job definitions). */
export type JobRegistry = ReadonlyMap<string, RunnableJob>;

/**
 * A payload its kind's schema refuses: written by an older version, or by hand. Retrying cannot
 * help, so the job is dead at once, with what does not fit as its reason (visible in Failed work).
 */
class UnreadablePayloadError extends Error {
  override name = 'UnreadablePayloadError';
  constructor(kind: string, payload: unknown, error: z.ZodError) {
    super(unreadablePayloadReason(kind, payload, error.issues as PayloadIssue[]));
  }
}

export interface RunnerOptions {
  /** How long a claim lasts before another worker may take the job over. */
  leaseMs: number;
  /** Jobs claimed per sweep: bounds the work one sweep does. */
  batchSize: number;
  random?: () => number;
  log?: (entry: { level: 'warn' | 'error'; msg: string; jobId: string; kind: string; attempt: number; err?: string }) => void;
}

export interface SweepResult {
  claimed: number;
  succeeded: number;
  failed: number;
  /** Held because a feature is off (e-mail out): not failed, not retried. */
  held: number;
}

/**
 * One sweep: claim what is due now and run it, then mark everything that succeeded done in one
 * statement (a crash before that runs those jobs again: handlers are idempotent). Returns what
 * happened, for tests and metrics.
 */
export async function runDueJobs(deps: JobContext, registry: JobRegistry, options: RunnerOptions): Promise<SweepResult> {
  const claimed = await claimDueJobs(deps.db, deps.clock.now(), options.leaseMs, options.batchSize);
  return runClaimedJobs(deps, registry, options, claimed);
}

/** Runs jobs this worker has claimed, and records each outcome (done in one statement, the rest one by one). */
async function runClaimedJobs(deps: JobContext, registry: JobRegistry, options: RunnerOptions, claimed: JobRow[]): Promise<SweepResult> {
  const done: Pick<JobRow, 'id' | 'attempts'>[] = [];
  const failed: { job: Pick<JobRow, 'id' | 'kind' | 'attempts' | 'maxAttempts'>; err: unknown; retryable: boolean }[] = [];
  const byKind = new Map<string, JobRow[]>();
  for (const job of claimed) {
    const jobs = byKind.get(job.kind);
    if (jobs) jobs.push(job);
    else byKind.set(job.kind, [job]);
  }
  await Promise.all(
    [...byKind].map(async ([kind, rows]) => {
      const runnable = registry.get(kind);
      if (!runnable) {
        const err = new Error(`no handler is registered for jobs of kind "${kind}"`);
        for (const job of rows) failed.push({ job, err, retryable: false });
        return;
      }
      const jobs: Job[] = [];
      for (const row of rows) {
        const parsed = runnable.payload.safeParse(row.payload);
        if (parsed.success) jobs.push({ ...row, payload: parsed.data });
        else failed.push({ job: row, err: new UnreadablePayloadError(kind, row.payload, parsed.error), retryable: false });
      }
      if (jobs.length === 0) return;
      const { handler } = runnable;
      if (typeof handler === 'function') {
        await Promise.all(
          jobs.map(async (job) => {
            try {
              await handler(job, deps);
              done.push(job);
            } catch (err) {
              failed.push({ job, err, retryable: !(err instanceof PermanentJobError) });
            }
          }),
        );
        return;
      }
      const outcomes = await handler.batch(jobs, deps).catch((err: unknown) => jobs.map(() => err));
      jobs.forEach((job, i) => {
        const err = outcomes[i];
        if (err) failed.push({ job, err, retryable: !(err instanceof PermanentJobError) });
        else done.push(job);
      });
    }),
  );
  await completeJobs(
    deps.db,
    done.map((job) => ({ id: job.id, attempt: job.attempts })),
    deps.clock.now(),
  );
  let held = 0;
  let deferred = 0;
  for (const { job, err, retryable } of failed) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DeferredJobError) {
      await deferJob(deps.db, job.id, job.attempts, new Date(deps.clock.now().getTime() + err.retryInMs));
      deferred++;
      continue;
    }
    if (err instanceof HeldJobError) {
      await holdJob(deps.db, job.id, job.attempts, { reason: message, now: deps.clock.now() });
      held++;
      continue;
    }
    const retry = retryable && job.attempts < job.maxAttempts;
    const now = deps.clock.now();
    const retryAt = retry ? new Date(now.getTime() + retryDelay(job.attempts, (options.random ?? Math.random)())) : null;
    await failJob(deps.db, job.id, job.attempts, { retryAt, error: message, now });
    const permanent = err instanceof PermanentJobError;
    options.log?.({
      level: retry || permanent ? 'warn' : 'error',
      msg: retry
        ? 'job failed; will retry'
        : permanent
          ? 'job cannot succeed as configured; parked as dead'
          : err instanceof UnreadablePayloadError
            ? 'job payload no longer fits its kind; parked as dead'
            : 'job failed for good; parked as dead',
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts,
      err: message,
    });
  }
  return { claimed: claimed.length, succeeded: done.length, failed: failed.length - held - deferred, held };
}

/** Never spin: a due row another worker holds is retried after this pause. */
const MIN_SLEEP_MS = 10;

/**
 * Runs sweeps until stopped: immediately when started (so timers that fell due while the server
 * was down fire at once), again right away while sweeps find full batches, otherwise every
 * `pollMs`. Sweeps overlap: the next one claims while jobs of the last are still running, up to
 * `maxInFlight` jobs in all, so one slow job (a webhook receiver taking its full timeout) holds
 * only its own place, not every timer and delivery behind it. `stop()` waits for every job started.
 */
export function startWorker(
  deps: JobContext,
  registry: JobRegistry,
  options: RunnerOptions & {
    pollMs: number;
    /** Jobs running at once across overlapping sweeps (default: four batches). */
    maxInFlight?: number;
    onSweepError: (err: unknown) => void;
    /** Told each time the worker goes to sleep between sweeps, and for how long: tests wait on it instead of a timer. */
    onSleep?: (ms: number) => void;
  },
): { stop(): Promise<void>; wake(): void } {
  const maxInFlight = options.maxInFlight ?? options.batchSize * 4;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let claiming: Promise<void> = Promise.resolve();
  let inFlight = 0;
  /** Set while the worker waits for room: the next sweep to finish starts a claim. */
  let waitingForRoom = false;
  const running = new Set<Promise<void>>();
  const loop = () => {
    timer = undefined;
    if (stopped) return;
    const room = maxInFlight - inFlight;
    if (room <= 0) {
      waitingForRoom = true;
      return;
    }
    const limit = Math.min(options.batchSize, room);
    claiming = claimDueJobs(deps.db, deps.clock.now(), options.leaseMs, limit)
      .then(async (claimed) => {
        if (claimed.length > 0) start(claimed);
        if (claimed.length >= limit) return schedule(0);
        // Sleep until the next timer falls due, but never longer than the poll interval: a job
        // scheduled meanwhile by another process is found at the next poll at the latest.
        const next = await nextDueAt(deps.db);
        const untilNext = next ? next.getTime() - deps.clock.now().getTime() : options.pollMs;
        schedule(Math.max(MIN_SLEEP_MS, Math.min(options.pollMs, untilNext)));
      })
      .catch((err: unknown) => {
        options.onSweepError(err);
        schedule(options.pollMs);
      });
  };
  const start = (claimed: JobRow[]) => {
    inFlight += claimed.length;
    const run = runClaimedJobs(deps, registry, options, claimed)
      .then(() => undefined, options.onSweepError)
      .finally(() => {
        inFlight -= claimed.length;
        running.delete(run);
        if (waitingForRoom && !stopped) {
          waitingForRoom = false;
          schedule(0);
        }
      });
    running.add(run);
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(loop, ms);
    options.onSleep?.(ms);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await claiming;
      await Promise.all(running);
    },
    wake() {
      if (timer && !stopped) {
        clearTimeout(timer);
        schedule(0);
      }
    },
  };
}
