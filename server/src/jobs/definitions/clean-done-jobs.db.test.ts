import { asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/database.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { FakeClock } from '../../adapters/clock.js';
import type { Database } from '../../db/client.js';
import { jobs } from '../../db/schema/index.js';
import { writeSetting } from '../../repositories/settings.repository.js';
import { scheduleDoneJobCleanup } from '../../services/job-retention.service.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../registry.js';
import { runDueJobs } from '../runner.js';

/**
 * Done job rows do not pile up forever: an hourly job deletes those finished longer ago than the
 * retention (7 days unless set), and never touches Failed work (dead rows) or work still to do.
 */
let database: Database;
const clock = new FakeClock('2026-05-20T10:20:00Z');
const DAY = 86_400_000;
const logged: { msg: string; detail: Record<string, unknown> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const deps = () => ({ db: database.db, clock });
const sweep = () =>
  runDueJobs(deps(), buildJobRegistry({ ...NO_DELIVERY, log: (msg, detail) => void logged.push({ msg, detail }) }), WORKER_OPTIONS);

/** A job row of a made-up kind (never claimed: not due, or finished) in the given state. */
async function row(id: string, state: 'done' | 'dead' | 'held' | 'pending', finishedDaysAgo: number | null) {
  const finishedAt = finishedDaysAgo === null ? null : new Date(clock.now().getTime() - finishedDaysAgo * DAY);
  await database.db.insert(jobs).values({
    id: `test:${id}`,
    kind: 'notification.deliver',
    payload: { notificationId: '0b7f3c52-1d4e-4a8b-9c6d-2e5f7a9b1c3d' },
    state,
    runAt: state === 'pending' ? new Date(clock.now().getTime() + 30 * DAY) : new Date(clock.now().getTime() - 40 * DAY),
    createdAt: new Date(clock.now().getTime() - 40 * DAY),
    finishedAt,
    lastError: state === 'dead' ? 'the mail server refused it' : null,
  });
}
const testRows = async () =>
  (await database.db.select({ id: jobs.id }).from(jobs).where(like(jobs.id, 'test:%')).orderBy(asc(jobs.id))).map((r) =>
    r.id.slice('test:'.length),
  );
const cleanupRows = () =>
  database.db.select({ state: jobs.state, runAt: jobs.runAt }).from(jobs).where(eq(jobs.kind, 'jobs.clean_done')).orderBy(asc(jobs.runAt));

describe('the clean-up of done jobs', () => {
  it('deletes done rows past 7 days every hour, keeps dead, held and pending ones, and is one chain whoever starts it', async () => {
    await row('done-30-days', 'done', 30);
    await row('done-8-days', 'done', 8);
    await row('done-6-days', 'done', 6);
    await row('done-today', 'done', 0);
    await row('dead-30-days', 'dead', 30);
    await row('held', 'held', null);
    await row('pending', 'pending', null);

    await scheduleDoneJobCleanup(deps());
    await scheduleDoneJobCleanup(deps()); // a second process starting: the same row
    expect(await cleanupRows()).toEqual([{ state: 'pending', runAt: new Date('2026-05-20T10:00:00Z') }]);

    expect((await sweep()).succeeded).toBe(1);
    expect(await testRows()).toEqual(['dead-30-days', 'done-6-days', 'done-today', 'held', 'pending']);
    expect(logged).toEqual([{ msg: 'deleted done jobs past their retention', detail: { deleted: 2, retentionDays: 7 } }]);
    expect(await cleanupRows()).toEqual([
      { state: 'done', runAt: new Date('2026-05-20T10:00:00Z') },
      { state: 'pending', runAt: new Date('2026-05-20T11:00:00Z') },
    ]);

    // An hour later the 6-day-old row is still within the week; two days on it is not.
    clock.set('2026-05-20T11:00:00Z');
    expect((await sweep()).succeeded).toBe(1);
    expect(await testRows()).toContain('done-6-days');
    clock.set('2026-05-21T11:00:00Z');
    await scheduleDoneJobCleanup(deps()); // the chain's next row is long overdue: a start asks for this hour's
    await sweep();
    expect(await testRows()).not.toContain('done-6-days');
    expect(await testRows()).toEqual(expect.arrayContaining(['dead-30-days', 'held', 'pending']));
  });

  it('keeps done rows for as many days as the setting says, and the default when the setting is unusable', async () => {
    await row('setting-done-2-days', 'done', 2);
    await row('setting-done-hours', 'done', 0.5);
    await writeSetting(database.db, 'done_job_retention_days', 'forever', clock.now());
    clock.advance(3_600_000);
    await sweep();
    expect(await testRows()).toContain('setting-done-2-days');

    await writeSetting(database.db, 'done_job_retention_days', 1, clock.now());
    clock.advance(3_600_000);
    await sweep();
    expect(await testRows()).not.toContain('setting-done-2-days');
    expect(await testRows()).toContain('setting-done-hours');
    expect(logged.at(-1)?.detail).toMatchObject({ retentionDays: 1 });
  });
});
