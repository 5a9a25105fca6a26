import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/database.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { FakeClock } from '../../adapters/clock.js';
import type { Database } from '../../db/client.js';
import { attachmentParts, jobs } from '../../db/schema/index.js';
import { insertAttachmentPart } from '../../repositories/attachment-parts.repository.js';
import { scheduleOrphanPartSweep } from '../../services/attachment-storage.service.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../registry.js';
import { runDueJobs } from '../runner.js';

/**
 * Parts of uploads that died with their process are swept by one recurring job in the database,
 * not a timer per process: every start asks for this hour's sweep, each run schedules the next.
 */
let database: Database;
const clock = new FakeClock('2026-05-04T10:20:00Z');
const logged: { msg: string; detail: Record<string, unknown> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const deps = () => ({ db: database.db, clock });
const sweep = () =>
  runDueJobs(deps(), buildJobRegistry({ ...NO_DELIVERY, log: (msg, detail) => void logged.push({ msg, detail }) }), WORKER_OPTIONS);
const sweepRows = () =>
  database.db
    .select({ state: jobs.state, runAt: jobs.runAt })
    .from(jobs)
    .where(eq(jobs.kind, 'attachment.sweep_parts'))
    .orderBy(asc(jobs.runAt));
const partsOf = async (attachmentId: string) =>
  (await database.db.select().from(attachmentParts).where(eq(attachmentParts.attachmentId, attachmentId))).length;
const orphanPart = async (createdAt: Date) => {
  const attachmentId = randomUUID();
  await insertAttachmentPart(database.db, { attachmentId, seq: 0, content: Buffer.from('half an upload'), createdAt });
  return attachmentId;
};

describe('the orphan attachment-part sweep', () => {
  it('is one chain of hourly runs however many processes start, and removes parts once they are an hour old', async () => {
    const crashed = await orphanPart(new Date('2026-05-04T08:15:00Z'));
    const inFlight = await orphanPart(clock.now());

    // Two processes start at 10:20: one sweep for this hour, due now.
    await scheduleOrphanPartSweep(deps());
    await scheduleOrphanPartSweep(deps());
    expect(await sweepRows()).toEqual([{ state: 'pending', runAt: new Date('2026-05-04T10:00:00Z') }]);

    expect(await sweep()).toEqual({ claimed: 1, succeeded: 1, failed: 0, held: 0 });
    expect(await partsOf(crashed)).toBe(0);
    expect(await partsOf(inFlight)).toBe(1); // still being written, as far as anyone knows
    expect(logged).toEqual([{ msg: 'removed parts of attachments whose upload never completed', detail: { removed: 1 } }]);
    expect(await sweepRows()).toEqual([
      { state: 'done', runAt: new Date('2026-05-04T10:00:00Z') },
      { state: 'pending', runAt: new Date('2026-05-04T11:00:00Z') },
    ]);

    // A third process starting later in the hour adds nothing: this hour's sweep ran.
    clock.set('2026-05-04T10:40:00Z');
    await scheduleOrphanPartSweep(deps());
    expect((await sweepRows()).length).toBe(2);

    // At 11:00 the part is 40 minutes old: kept. At 12:00 it is over an hour: removed.
    clock.set('2026-05-04T11:00:00Z');
    expect((await sweep()).succeeded).toBe(1);
    expect(await partsOf(inFlight)).toBe(1);
    clock.set('2026-05-04T12:00:00Z');
    expect((await sweep()).succeeded).toBe(1);
    expect(await partsOf(inFlight)).toBe(0);
    expect((await sweepRows()).filter((row) => row.state === 'pending')).toEqual([
      { state: 'pending', runAt: new Date('2026-05-04T13:00:00Z') },
    ]);
  });

  it('comes back after the server was down for hours: the overdue run fires at start, and the chain goes on from the current hour', async () => {
    clock.set('2026-05-04T16:30:00Z'); // the 13:00 run fell due while nothing ran
    const crashed = await orphanPart(new Date('2026-05-04T15:00:00Z'));
    await scheduleOrphanPartSweep(deps());
    expect((await sweep()).succeeded).toBe(2); // the overdue 13:00 run and this hour's
    expect(await partsOf(crashed)).toBe(0);
    expect((await sweepRows()).filter((row) => row.state === 'pending')).toEqual([
      { state: 'pending', runAt: new Date('2026-05-04T17:00:00Z') },
    ]);
  });
});
