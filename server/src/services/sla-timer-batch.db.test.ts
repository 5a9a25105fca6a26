import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelay } from '../../../core/retry.js';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, rowsOf } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { type BatchJobHandler, type Job, runDueJobs } from '../jobs/runner.js';
import { claimDueJobs, findJob } from '../repositories/jobs.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import { ConfigCache } from './config-cache.js';
import { createSlaPolicy } from './sla.service.js';

/**
 * A sweep's SLA timers run in one transaction (sla-timer.service.ts, checkSlaTimers): each must
 * still be recorded exactly once when one of them fails, when a ticket has two of them in the
 * sweep, and when the worker dies after the commit but before marking the jobs done.
 */
const MINUTE = 60_000;
const options = { ...WORKER_OPTIONS, random: () => 0.5 };
let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock; configCache: ConfigCache };
let tickets: TicketRow[];

beforeEach(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z');
  deps = { db: database.db, clock, configCache: new ConfigCache() };
  const admin = await createTestPerson(deps, 'admin', { email: 'admin@batch.test', name: 'Admin' });
  await createSlaPolicy(deps, { name: 'Resolution in an hour', resolutionMinutes: 60, firstResponseMinutes: null }, admin);
  tickets = [];
  for (let n = 0; n < 5; n++) tickets.push(await reportTestTicket(deps, admin, `Printer ${n} offline`, { impact: 2, urgency: 2 }));
  // Whatever the reports asked for besides the timers (the storm detector) runs first.
  clock.advance(MINUTE);
  await runDueJobs(deps, buildJobRegistry(NO_DELIVERY), options);
});
afterEach(() => database.close());

/** What the sweeps' jobs reported (`JobDeps.log`). */
let reported: { msg: string; detail: Record<string, unknown> }[] = [];
const sweep = () => runDueJobs(deps, buildJobRegistry({ ...NO_DELIVERY, log: (msg, detail) => reported.push({ msg, detail }) }), options);

/** How many warnings and breaches each ticket's timeline holds, in ticket order. */
async function notes(type: 'sla_warning' | 'sla_breached'): Promise<number[]> {
  const rows = rowsOf<{ ticket_id: string; n: number }>(
    await database.db.execute(sql`SELECT ticket_id, count(*)::int AS n FROM timeline_events WHERE type = ${type} GROUP BY ticket_id`),
  );
  return tickets.map((t) => rows.find((r) => r.ticket_id === t.id)?.n ?? 0);
}

describe("a sweep's SLA timers in one transaction", () => {
  it('records the others when one fails, and the failing one alone on its retry, each once', async () => {
    // The database refuses the third ticket's warning, as a failing write would.
    await database.db.execute(
      sql.raw(`CREATE FUNCTION refuse_warning() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'sla_warning' AND NEW.ticket_id = '${tickets[2].id}' THEN RAISE EXCEPTION 'the disk is full'; END IF;
          RETURN NEW;
        END $$`),
    );
    await database.db.execute(
      sql.raw('CREATE TRIGGER refuse_warning BEFORE INSERT ON timeline_events FOR EACH ROW EXECUTE FUNCTION refuse_warning()'),
    );
    clock.advance(49 * MINUTE); // the warnings (45 minutes) are due
    reported = [];
    expect(await sweep()).toEqual({ claimed: 5, succeeded: 4, failed: 1, held: 0 });
    // Why the five were then checked one by one is said once, with the database's reason.
    expect(reported).toEqual([
      {
        msg: 'SLA timers checked one by one: their shared transaction failed',
        detail: { timers: 5, err: expect.stringContaining('the disk is full') },
      },
    ]);
    expect(await notes('sla_warning')).toEqual([1, 1, 0, 1, 1]);
    const failed = (await findJob(database.db, `sla.check:${tickets[2].id}:resolution:warning:2026-03-02T08:45:00.000Z`)) ?? null;
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    // drizzle names the statement that failed (the disk-full error is its cause).
    expect(failed?.lastError).toMatch(/insert into "timeline_events"/);

    await database.db.execute(sql.raw('DROP TRIGGER refuse_warning ON timeline_events'));
    clock.advance(retryDelay(1, 0.5));
    expect(await sweep()).toEqual({ claimed: 1, succeeded: 1, failed: 0, held: 0 });
    expect(await notes('sla_warning')).toEqual([1, 1, 1, 1, 1]);
  });

  it("records a ticket's warning and breach that fall due in the same sweep, once each and in that order", async () => {
    clock.advance(69 * MINUTE); // both the warning (45) and the breach (60) of every ticket are due
    expect(await sweep()).toEqual({ claimed: 10, succeeded: 10, failed: 0, held: 0 });
    expect(await notes('sla_warning')).toEqual([1, 1, 1, 1, 1]);
    expect(await notes('sla_breached')).toEqual([1, 1, 1, 1, 1]);
    const order = rowsOf<{ type: string }>(
      await database.db.execute(
        sql`SELECT type FROM timeline_events WHERE ticket_id = ${tickets[0].id} AND type::text LIKE 'sla_%' ORDER BY id`,
      ),
    );
    expect(order.map((r) => r.type)).toEqual(['sla_warning', 'sla_breached']);
    const [breached] = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM tickets WHERE sla_breached`));
    expect(breached.n).toBe(5);
  });

  it('records nothing twice when the worker died after the commit, before marking the jobs done', async () => {
    clock.advance(49 * MINUTE);
    // The dead worker: it claimed the sweep and ran it (committed), then never marked the jobs done.
    const claimed = await claimDueJobs(database.db, clock.now(), options.leaseMs, options.batchSize);
    expect(claimed).toHaveLength(5);
    const handler = buildJobRegistry(NO_DELIVERY).get('sla.check')?.handler as BatchJobHandler;
    expect(await handler.batch(claimed as Job[], deps)).toEqual([null, null, null, null, null]);
    expect(await notes('sla_warning')).toEqual([1, 1, 1, 1, 1]);

    // Before its claim runs out, nobody takes the jobs over; after, another worker runs them again.
    expect((await sweep()).claimed).toBe(0);
    clock.advance(options.leaseMs + 1);
    expect(await sweep()).toEqual({ claimed: 5, succeeded: 5, failed: 0, held: 0 });
    expect(await notes('sla_warning')).toEqual([1, 1, 1, 1, 1]);
    expect((await findJob(database.db, claimed[0].id))?.state).toBe('done');
  });
});
