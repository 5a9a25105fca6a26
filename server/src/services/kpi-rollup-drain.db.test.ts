import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/permissions.js';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { backfilledRollupRows, rollupRows } from '../../test/rollups.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, rowsOf } from '../db/client.js';
import { countPendingRollups, drainPendingRollupsUnlessBusy, isDrainLockTimeout } from '../repositories/kpi-pending.repository.js';
import { insertTicketWithEvents } from '../repositories/tickets.repository.js';
import { countPendingTicketsNow, startRollupDrainer } from './kpi-rollup-drain.service.js';
import { getKpiReport } from './reports.service.js';
import { createTeam } from './teams.service.js';

/**
 * A live creation lists its ticket for the rollups instead of counting it in its own transaction
 * (which held the rollup row of its day, team, priority and kind until COMMIT, so concurrent
 * creations queued behind each other): the background drain and every report count it afterwards,
 * and the rollups then equal their definitions from the tickets.
 */
let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let admin: Actor;
let teamId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-06-01T09:00:00Z') };
  admin = await createTestPerson(deps, 'admin', { email: 'ada@desk.test', name: 'Ada Admin' });
  teamId = (await createTeam(deps, { name: 'Network', memberIds: [] })).id;
});
afterAll(() => database.close());

const countedTickets = async () =>
  Number(
    rowsOf<{ n: string }>(await database.db.execute(sql`SELECT coalesce(sum(created), 0)::text AS n FROM kpi_daily_team_rollups`))[0].n,
  );

describe('tickets created live', () => {
  it('are listed, not counted, until a drain; a report counts them before it reads', async () => {
    await countPendingTicketsNow(database.db);
    const counted = await countedTickets();
    for (const title of ['VPN drops', 'Payroll slow', 'Printer jammed']) {
      deps.clock.advance(60_000);
      await reportTestTicket(deps, admin, title, { teamId, impact: 2, urgency: 2 });
    }
    expect(await countPendingRollups(database.db)).toBe(3);
    expect(await countedTickets()).toBe(counted);

    const report = await getKpiReport(deps, admin, 'open-work', {});
    expect(report.result.total).toBeGreaterThanOrEqual(3);
    expect(await countPendingRollups(database.db)).toBe(0);
    expect(await countedTickets()).toBe(counted + 3);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });

  it('are counted as they stand when drained, after changes made while listed', async () => {
    const ticket = await reportTestTicket(deps, admin, 'Mail bounces', { teamId, impact: 1, urgency: 1 });
    // Changed while listed: the update triggers skip it, the drain counts the row as it is now.
    await database.db.execute(
      sql`UPDATE tickets SET state = 'resolved', resolved_at = opened_at + interval '2 hours' WHERE id = ${ticket.id}`,
    );
    expect(await countPendingRollups(database.db)).toBe(1);
    await countPendingTicketsNow(database.db);
    expect(await countPendingRollups(database.db)).toBe(0);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });

  it("are counted by a process's background drain, which stops cleanly", async () => {
    await reportTestTicket(deps, admin, 'Wi-Fi down on floor 3', { teamId });
    const drained: number[] = [];
    const errors: unknown[] = [];
    let sawDrain: () => void = () => {};
    const seen = new Promise<void>((resolve) => (sawDrain = resolve));
    const drainer = startRollupDrainer(database.db, {
      intervalMs: 10,
      onError: (err) => errors.push(err),
      onDrained: (n) => {
        drained.push(n);
        sawDrain();
      },
    });
    await seen;
    await drainer.stop();
    expect(errors).toEqual([]);
    expect(drained).toEqual([1]);
    expect(await countPendingRollups(database.db)).toBe(0);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });
});

describe.runIf(testEngine() === 'postgres')('concurrent creations (PostgreSQL: several connections)', () => {
  it("give way, when drained, to a person's change holding the same rollup row, which then commits", async () => {
    await countPendingTicketsNow(database.db);
    const counted = await reportTestTicket(deps, admin, 'Printer offline', { teamId, impact: 3, urgency: 3 });
    await countPendingTicketsNow(database.db);
    const listed = await reportTestTicket(deps, admin, 'Printer offline again', { teamId, impact: 3, urgency: 3 });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let changed: () => void = () => {};
    const holding = new Promise<void>((resolve) => (changed = resolve));
    // A person's change of the counted ticket: its rollup rows (same day, team, priority) stay locked until it commits.
    const change = database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE tickets SET priority = 2 WHERE id = ${counted.id}`);
      changed();
      await held;
    });
    await holding;
    const drained = await drainPendingRollupsUnlessBusy(database.db, 1_000).then(
      () => 'drained',
      (err: unknown) => (isDrainLockTimeout(err) ? 'gave way' : Promise.reject(err)),
    );
    release();
    await change;
    expect(drained).toBe('gave way');
    expect(await countPendingRollups(database.db)).toBeGreaterThanOrEqual(1);
    await countPendingTicketsNow(database.db);
    expect(await countPendingRollups(database.db)).toBe(0);
    expect(listed.priority).toBe(5);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });

  it('of one day, team, priority and kind do not wait for each other', async () => {
    const row = () => ({
      kind: 'incident' as const,
      title: 'VPN drops',
      description: '',
      requesterId: admin.id,
      reportedById: admin.id,
      teamId,
      impact: 3,
      urgency: 3,
      priority: 3,
      scope: 'local' as const,
      channel: 'api' as const,
      state: 'new' as const,
      openedAt: deps.clock.now(),
      createdAt: deps.clock.now(),
      updatedAt: deps.clock.now(),
    });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstInserted: () => void = () => {};
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    // The first creation stays open (uncommitted) while the second is made.
    const first = database.db.transaction(async (tx) => {
      await insertTicketWithEvents(tx, row(), []);
      firstInserted();
      await held;
    });
    await inserted;
    let secondDone = false;
    const second = database.db
      .transaction(async (tx) => {
        await insertTicketWithEvents(tx, row(), []);
      })
      .then(() => (secondDone = true));
    // Until the second commits or is seen waiting for a lock (as it did when its rollup row was
    // held by the first): never a fixed wait.
    let waitingOnLock = false;
    while (!secondDone && !waitingOnLock) {
      const [{ waiting }] = rowsOf<{ waiting: boolean }>(
        await database.db.execute(
          sql`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock') AS waiting`,
        ),
      );
      waitingOnLock = waiting;
    }
    release();
    await Promise.all([first, second]);
    expect(waitingOnLock).toBe(false);
    expect(secondDone).toBe(true);
    await countPendingTicketsNow(database.db);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });
});
