import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { countStatements } from '../../test/statement-counter.js';
import { type Database, rowsOf } from '../db/client.js';
import { StormChecksSeen, scheduleStormDetection } from './storm-schedule.service.js';

let database: Database;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(() => database.close());

const AT = new Date('2026-03-02T08:00:00.250Z');
const stormChecks = async () =>
  rowsOf<{ id: string }>(await database.db.execute(sql`SELECT id FROM jobs WHERE kind = 'storm.detect' ORDER BY id`)).map((r) => r.id);

describe('asking for the storm detector on every report (the report path at 50 connections)', () => {
  it('sends nothing once the second’s check is known committed, and never trusts a check its own transaction may roll back', async () => {
    const seen = new StormChecksSeen();
    // This process inserts the check, and its report is refused: nothing may be remembered.
    await expect(
      database.db.transaction(async (tx) => {
        await scheduleStormDetection(tx, AT, seen);
        throw new Error('the report was refused');
      }),
    ).rejects.toThrow('refused');
    await database.db.transaction((tx) => scheduleStormDetection(tx, AT, seen));
    expect(await stormChecks()).toEqual([`storm.detect:${Date.parse('2026-03-02T08:00:01Z')}`]);

    // The next report of that second finds it there (committed): remembered from then on.
    await database.db.transaction((tx) => scheduleStormDetection(tx, AT, seen));
    const log = countStatements(database);
    await database.db.transaction((tx) => scheduleStormDetection(tx, new Date(AT.getTime() + 500), seen));
    expect(log.statements.filter((s) => /into "jobs"/.test(s))).toEqual([]);

    // The next second is another check.
    await database.db.transaction((tx) => scheduleStormDetection(tx, new Date(AT.getTime() + 1000), seen));
    expect(log.statements.filter((s) => /into "jobs"/.test(s))).toHaveLength(1);
    expect(await stormChecks()).toHaveLength(2);
  });
});
