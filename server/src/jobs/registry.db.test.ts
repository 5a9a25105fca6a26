import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { failJob, holdJob, insertJob } from '../repositories/jobs.repository.js';
import { buildJobRegistry, JobRegistryError, refuseUnhandledJobKinds } from './registry.js';

let database: Database;
const clock = new FakeClock('2026-05-04T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const job = (id: string, kind: string) => insertJob(database.db, { id, kind, payload: {}, runAt: clock.now(), now: clock.now() });

describe('the start, against the jobs waiting in the database', () => {
  it('goes ahead when every job still to run has a definition, whatever finished jobs of other kinds remain', async () => {
    await job('sla.check:x', 'sla.check');
    // A job of a kind no longer defined that already died stays listed in Failed work; it does not stop the start.
    await job('legacy:1', 'report.legacy');
    await database.db.execute(`UPDATE jobs SET state = 'running', attempts = 1 WHERE id = 'legacy:1'`);
    await failJob(database.db, 'legacy:1', 1, { retryAt: null, error: 'no handler', now: clock.now() });
    await expect(refuseUnhandledJobKinds(database.db, buildJobRegistry(NO_DELIVERY))).resolves.toBeUndefined();
  });

  it('stops when jobs still to run are of a kind this version does not define, naming each kind and how many', async () => {
    await job('export:1', 'report.export');
    await job('export:2', 'report.export');
    await job('future:1', 'ticket.future');
    await database.db.execute(`UPDATE jobs SET state = 'running', attempts = 1 WHERE id = 'future:1'`);
    await holdJob(database.db, 'future:1', 1, { reason: 'held', now: clock.now() });
    const refused = refuseUnhandledJobKinds(database.db, buildJobRegistry(NO_DELIVERY));
    await expect(refused).rejects.toBeInstanceOf(JobRegistryError);
    await expect(refused).rejects.toThrow(
      'The database holds jobs still to run that this version of Firebreak does not know: 2 of kind "report.export", 1 of kind "ticket.future".',
    );
  });
});
