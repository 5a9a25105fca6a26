import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { retryDelay } from '../../../core/retry.js';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, openPostgres } from '../db/client.js';
import { findJob, insertJob, type JobRow } from '../repositories/jobs.repository.js';
import { HeldJobError, PermanentJobError } from './errors.js';
import { type BatchJobHandler, type JobHandler, type JobRegistry, runDueJobs, startWorker } from './runner.js';

let database: Database;
let clock: FakeClock;
const options = { leaseMs: 60_000, batchSize: 50, random: () => 0.5 };

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-05-04T10:00:00Z');
});
afterAll(() => database.close());

const at = (offsetMs: number) => new Date(clock.now().getTime() + offsetMs);

/** Kinds made up for these tests, taking any payload. */
const registryOf = (handlers: readonly (readonly [string, JobHandler | BatchJobHandler])[]): JobRegistry =>
  new Map(handlers.map(([kind, handler]) => [kind, { payload: z.record(z.string(), z.unknown()), handler }]));

describe('durable jobs', () => {
  it('fires a job once when it falls due, and not before', async () => {
    const fired: string[] = [];
    const registry = registryOf([['ping', async (job) => void fired.push(job.id)]]);
    await insertJob(database.db, { id: 'ping:1', kind: 'ping', payload: {}, runAt: at(30_000), now: clock.now() });
    // Scheduling the same id again changes nothing.
    await insertJob(database.db, { id: 'ping:1', kind: 'ping', payload: {}, runAt: at(0), now: clock.now() });

    expect((await runDueJobs({ db: database.db, clock }, registry, options)).claimed).toBe(0);
    clock.advance(30_000);
    expect(await runDueJobs({ db: database.db, clock }, registry, options)).toEqual({ claimed: 1, succeeded: 1, failed: 0, held: 0 });
    clock.advance(60 * 60_000);
    await runDueJobs({ db: database.db, clock }, registry, options);
    expect(fired).toEqual(['ping:1']);
    expect((await findJob(database.db, 'ping:1'))?.state).toBe('done');
  });

  it('hands a batch handler all due jobs of its kind at once; a job that failed is retried alone, the others are done', async () => {
    const batches: string[][] = [];
    const registry = registryOf([
      [
        'deliver',
        {
          async batch(jobs) {
            batches.push(jobs.map((j) => j.id).sort());
            return jobs.map((j) => (j.id === 'deliver:2' && j.attempts === 1 ? new Error('receiver answered 503') : null));
          },
        },
      ],
    ]);
    for (const n of [1, 2, 3]) {
      await insertJob(database.db, { id: `deliver:${n}`, kind: 'deliver', payload: {}, runAt: clock.now(), now: clock.now() });
    }
    expect(await runDueJobs({ db: database.db, clock }, registry, options)).toEqual({ claimed: 3, succeeded: 2, failed: 1, held: 0 });
    expect(batches).toEqual([['deliver:1', 'deliver:2', 'deliver:3']]);
    expect((await findJob(database.db, 'deliver:1'))?.state).toBe('done');
    const failed = await findJob(database.db, 'deliver:2');
    expect(failed).toMatchObject({ state: 'pending', lastError: 'receiver answered 503' });
    clock.advance(retryDelay(1, 0.5));
    expect(await runDueJobs({ db: database.db, clock }, registry, options)).toEqual({ claimed: 1, succeeded: 1, failed: 0, held: 0 });
    expect(batches[1]).toEqual(['deliver:2']);
    expect((await findJob(database.db, 'deliver:2'))?.state).toBe('done');
  });

  it('fires a job that fell due while no worker ran, on the first sweep', async () => {
    const fired: string[] = [];
    const registry = registryOf([['late', async (job) => void fired.push(job.id)]]);
    await insertJob(database.db, { id: 'late:1', kind: 'late', payload: {}, runAt: at(-6 * 3_600_000), now: clock.now() });
    await runDueJobs({ db: database.db, clock }, registry, options);
    expect(fired).toEqual(['late:1']);
  });

  it('retries a failing handler with growing delays, then parks it as dead with its error', async () => {
    let calls = 0;
    const registry = registryOf([
      [
        'flaky',
        async () => {
          calls++;
          throw new Error(`SMTP refused (try ${calls})`);
        },
      ],
    ]);
    await insertJob(database.db, { id: 'flaky:1', kind: 'flaky', payload: {}, runAt: clock.now(), maxAttempts: 3, now: clock.now() });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await runDueJobs({ db: database.db, clock }, registry, options);
      expect(result.failed).toBe(1);
      const job = (await findJob(database.db, 'flaky:1')) as JobRow;
      if (attempt < 3) {
        expect(job.state).toBe('pending');
        expect(job.runAt.getTime() - clock.now().getTime()).toBe(retryDelay(attempt, 0.5));
        // Not retried before its time.
        expect((await runDueJobs({ db: database.db, clock }, registry, options)).claimed).toBe(0);
        clock.set(job.runAt);
      } else {
        expect(job.state).toBe('dead');
        expect(job.lastError).toBe('SMTP refused (try 3)');
      }
    }
    expect(calls).toBe(3);
  });

  it('parks a job that cannot succeed as configured as dead at once, with its reason and one warning', async () => {
    const logged: { level: string; msg: string; jobId: string }[] = [];
    const notConfigured = new PermanentJobError('the webhook receiver was removed');
    const registry = registryOf([
      [
        'mail',
        async () => {
          throw notConfigured;
        },
      ],
      ['batched-mail', { batch: async (jobs) => jobs.map(() => notConfigured) }],
    ]);
    await insertJob(database.db, { id: 'mail:1', kind: 'mail', payload: {}, runAt: clock.now(), maxAttempts: 12, now: clock.now() });
    await insertJob(database.db, {
      id: 'batched-mail:1',
      kind: 'batched-mail',
      payload: {},
      runAt: clock.now(),
      maxAttempts: 12,
      now: clock.now(),
    });
    const result = await runDueJobs({ db: database.db, clock }, registry, { ...options, log: (entry) => void logged.push(entry) });
    expect(result).toEqual({ claimed: 2, succeeded: 0, failed: 2, held: 0 });
    for (const id of ['mail:1', 'batched-mail:1']) {
      expect(await findJob(database.db, id)).toMatchObject({ state: 'dead', attempts: 1, lastError: notConfigured.message });
    }
    expect(logged.map((e) => [e.jobId, e.level, e.msg]).sort()).toEqual([
      ['batched-mail:1', 'warn', 'job cannot succeed as configured; parked as dead'],
      ['mail:1', 'warn', 'job cannot succeed as configured; parked as dead'],
    ]);
    clock.advance(24 * 60 * 60_000);
    expect((await runDueJobs({ db: database.db, clock }, registry, options)).claimed).toBe(0);
  });

  it('holds a job whose feature is off (e-mail out) without failing, retrying or warning about it', async () => {
    const logged: { level: string; msg: string; jobId: string }[] = [];
    const off = new HeldJobError('not sent: e-mail out was off');
    const registry = registryOf([
      [
        'mail',
        async () => {
          throw off;
        },
      ],
      ['batched-mail', { batch: async (jobs) => jobs.map(() => off) }],
    ]);
    for (const [id, kind] of [
      ['mail:2', 'mail'],
      ['batched-mail:2', 'batched-mail'],
    ]) {
      await insertJob(database.db, { id, kind, payload: {}, runAt: clock.now(), maxAttempts: 12, now: clock.now() });
    }
    const result = await runDueJobs({ db: database.db, clock }, registry, { ...options, log: (entry) => void logged.push(entry) });
    expect(result).toEqual({ claimed: 2, succeeded: 0, failed: 0, held: 2 });
    for (const id of ['mail:2', 'batched-mail:2']) {
      expect(await findJob(database.db, id)).toMatchObject({ state: 'held', attempts: 1, lastError: off.message });
    }
    expect(logged).toEqual([]);
    clock.advance(24 * 60 * 60_000);
    expect((await runDueJobs({ db: database.db, clock }, registry, options)).claimed).toBe(0);
  });

  it('takes over a job whose worker died, once its claim expires', async () => {
    const fired: string[] = [];
    // Its handler starts (the claim is committed by then) and never finishes, like a dead process.
    let started: () => void = () => {};
    const claimed = new Promise<void>((resolve) => {
      started = resolve;
    });
    const crashing = registryOf([
      [
        'report',
        () => {
          started();
          return new Promise(() => {});
        },
      ],
    ]);
    const healthy = registryOf([['report', async (job) => void fired.push(job.id)]]);
    await insertJob(database.db, { id: 'report:1', kind: 'report', payload: {}, runAt: clock.now(), now: clock.now() });
    void runDueJobs({ db: database.db, clock }, crashing, options);
    await claimed;
    expect((await runDueJobs({ db: database.db, clock }, healthy, options)).claimed).toBe(0);
    clock.advance(options.leaseMs + 1);
    await runDueJobs({ db: database.db, clock }, healthy, options);
    expect(fired).toEqual(['report:1']);
  });

  it('parks a job whose payload no longer fits its kind as dead at once, saying what does not fit; the others of its sweep run', async () => {
    const logged: { level: string; msg: string; jobId: string }[] = [];
    const seen: unknown[] = [];
    const payload = z.object({ ticketId: z.guid(), kind: z.enum(['warning', 'breach']) });
    const registry: JobRegistry = new Map([
      ['timer', { payload, handler: async (job) => void seen.push(job.payload) }],
      [
        'batched-timer',
        {
          payload,
          handler: {
            batch: async (jobs) =>
              jobs.map((job) => {
                seen.push(job.payload);
                return null;
              }),
          },
        },
      ],
    ]);
    const ticketId = '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e6f';
    for (const kind of ['timer', 'batched-timer']) {
      // As an older version might have written it: a field renamed since.
      await insertJob(database.db, {
        id: `${kind}:old`,
        kind,
        payload: { ticket: ticketId, kind: 'warning' },
        runAt: clock.now(),
        now: clock.now(),
      });
      await insertJob(database.db, {
        id: `${kind}:new`,
        kind,
        payload: { ticketId, kind: 'breach', extra: 1 },
        runAt: clock.now(),
        now: clock.now(),
      });
    }
    const result = await runDueJobs({ db: database.db, clock }, registry, { ...options, log: (entry) => void logged.push(entry) });
    expect(result).toEqual({ claimed: 4, succeeded: 2, failed: 2, held: 0 });
    // The handlers saw only payloads that fit, as the schema reads them.
    expect(seen).toEqual([
      { ticketId, kind: 'breach' },
      { ticketId, kind: 'breach' },
    ]);
    for (const kind of ['timer', 'batched-timer']) {
      expect(await findJob(database.db, `${kind}:old`)).toMatchObject({
        state: 'dead',
        attempts: 1,
        lastError:
          `This "${kind}" job cannot run: it was saved by an older version of Firebreak, or edited by hand, and the ticket id is missing. ` +
          'Running it again will fail the same way. If the work still matters, do it by hand on its ticket; otherwise nothing needs doing.',
      });
      expect((await findJob(database.db, `${kind}:new`))?.state).toBe('done');
    }
    expect(logged.map((e) => [e.jobId, e.level, e.msg]).sort()).toEqual([
      ['batched-timer:old', 'error', 'job payload no longer fits its kind; parked as dead'],
      ['timer:old', 'error', 'job payload no longer fits its kind; parked as dead'],
    ]);
  });

  it('never marks a job dead for a kind nobody handles without saying so', async () => {
    await insertJob(database.db, { id: 'mystery:1', kind: 'mystery', payload: {}, runAt: clock.now(), now: clock.now() });
    await runDueJobs({ db: database.db, clock }, new Map(), options);
    const job = (await findJob(database.db, 'mystery:1')) as JobRow;
    expect(job.state).toBe('dead');
    expect(job.lastError).toBe('no handler is registered for jobs of kind "mystery"');
  });
});

describe('a running worker', () => {
  it('runs jobs that fall due while a slow one is still running (a receiver taking its full timeout holds only its own place)', async () => {
    let slowStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    let releaseSlow!: () => void;
    const slowMayEnd = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let quickRan!: (id: string) => void;
    const quick = new Promise<string>((resolve) => {
      quickRan = resolve;
    });
    const registry = registryOf([
      [
        'slow-delivery',
        async () => {
          slowStarted();
          await slowMayEnd;
        },
      ],
      ['quick-timer', async (job) => quickRan(job.id)],
    ]);
    await insertJob(database.db, { id: 'slow-delivery:1', kind: 'slow-delivery', payload: {}, runAt: clock.now(), now: clock.now() });
    const worker = startWorker({ db: database.db, clock }, registry, { ...options, pollMs: 50, onSweepError: () => {} });
    try {
      await started;
      await insertJob(database.db, { id: 'quick-timer:1', kind: 'quick-timer', payload: {}, runAt: clock.now(), now: clock.now() });
      expect(await quick).toBe('quick-timer:1');
      expect((await findJob(database.db, 'slow-delivery:1'))?.state).toBe('running');
    } finally {
      releaseSlow();
      await worker.stop();
    }
    // stop() waited for the slow job: it is recorded as done, not left claimed.
    expect((await findJob(database.db, 'slow-delivery:1'))?.state).toBe('done');
    expect((await findJob(database.db, 'quick-timer:1'))?.state).toBe('done');
  }, 15_000);
});

describe.runIf(testEngine() === 'postgres')('several workers on one PostgreSQL', () => {
  it('fire each of 500 timers exactly once', async () => {
    const url = (database.raw.kind === 'postgres' && (database.raw.pool.options as { connectionString: string }).connectionString) || '';
    // Three independent pools stand for three server processes.
    const workers = await Promise.all([1, 2, 3].map(() => openPostgres(url, 4)));
    const counts = new Map<string, number>();
    const registry = registryOf([
      [
        'tick',
        async (job) => {
          counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
        },
      ],
    ]);
    for (let i = 0; i < 500; i++) {
      await insertJob(database.db, { id: `tick:${i}`, kind: 'tick', payload: {}, runAt: at(-i), now: clock.now() });
    }
    let total = 0;
    for (let sweep = 0; sweep < 20 && total < 500; sweep++) {
      const results = await Promise.all(workers.map((w) => runDueJobs({ db: w.db, clock }, registry, { ...options, batchSize: 40 })));
      total += results.reduce((n, r) => n + r.succeeded, 0);
    }
    expect(counts.size).toBe(500);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await Promise.all(workers.map((w) => w.close()));
  });
});
