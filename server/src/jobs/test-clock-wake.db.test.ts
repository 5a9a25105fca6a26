import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock, MovableClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { insertJob } from '../repositories/jobs.repository.js';
import { type JobRegistry, startWorker } from './runner.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the worker on a test clock', () => {
  it('runs a timer at once when the clock is moved past it, not at its next poll', async () => {
    const clock = new MovableClock(new FakeClock('2026-06-01T09:07:00Z'));
    let fired!: (id: string) => void;
    const firedId = new Promise<string>((resolve) => {
      fired = resolve;
    });
    const registry: JobRegistry = new Map([
      ['reminder', { payload: z.record(z.string(), z.unknown()), handler: async (job) => fired(job.id) }],
    ]);
    await insertJob(database.db, {
      id: 'reminder:1',
      kind: 'reminder',
      payload: {},
      runAt: new Date(clock.now().getTime() + 30 * 60_000),
      now: clock.now(),
    });
    // An hour between polls: only the wake-up on the move can make the timer run within the test's time.
    let asleep!: () => void;
    const sleeping = new Promise<void>((resolve) => {
      asleep = resolve;
    });
    const worker = startWorker({ db: database.db, clock }, registry, {
      leaseMs: 60_000,
      batchSize: 50,
      pollMs: 60 * 60_000,
      onSweepError: (err) => {
        throw err;
      },
      // The first sweep found nothing due and the worker sleeps (30 minutes, the timer's due time).
      onSleep: (ms) => {
        if (ms > 60_000) asleep();
      },
    });
    clock.onAdvance(() => worker.wake());
    try {
      await sleeping;
      clock.advance(30 * 60_000);
      expect(await firedId).toBe('reminder:1');
    } finally {
      await worker.stop();
    }
  }, 20_000);
});
