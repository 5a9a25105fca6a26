import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { countStatements } from '../../test/statement-counter.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findJob, insertJobs } from '../repositories/jobs.repository.js';
import { ConfigCache } from './config-cache.js';
import { createSlaPolicy } from './sla.service.js';
import { checkSlaTimer } from './sla-timer.service.js';

const MINUTE = 60_000;
let database: Database;
let clock: FakeClock;

beforeEach(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z');
});
afterEach(() => database.close());

describe('the round trips of an SLA timer (20,000 can fall due within half a minute)', () => {
  it('records a warning with few statements once the configuration is cached', async () => {
    const configCache = new ConfigCache();
    const deps = { db: database.db, clock, configCache };
    const admin = await createTestPerson(deps, 'admin', { email: 'admin@timer.test', name: 'Admin' });
    await createSlaPolicy(deps, { name: 'Round the clock', resolutionMinutes: 60, firstResponseMinutes: 30 }, admin);
    const first = await reportTestTicket(deps, admin, 'Printer offline', { impact: 2, urgency: 2 });
    const second = await reportTestTicket(deps, admin, 'Scanner offline', { impact: 2, urgency: 2 });
    clock.advance(50 * MINUTE);
    expect(await checkSlaTimer(deps, { ticketId: first.id, target: 'resolution', kind: 'warning' })).toBe('recorded');
    const log = countStatements(database);
    expect(await checkSlaTimer(deps, { ticketId: second.id, target: 'resolution', kind: 'warning' })).toBe('recorded');
    if (process.env.SHOW_STATEMENTS) console.log(`${log.statements.length} statements\n${log.statements.join('\n')}`);
    // Before the cache reached timers: 9 (the policy, the active webhooks and the enabled rules read each time).
    const configuration = log.statements.filter((s) => /from "(sla_policies|webhook_subscriptions|automation_rules|settings)"/.test(s));
    expect(configuration).toEqual([]);
    // BEGIN, the ticket locked, its state changes, whether the warning is already noted, the note, COMMIT.
    expect(log.statements.length).toBeLessThanOrEqual(6);
  });

  it("fires a sweep's timers in one transaction: about one statement per warning, and a timer already recorded costs a share of one read", async () => {
    const configCache = new ConfigCache();
    const deps = { db: database.db, clock, configCache };
    const admin = await createTestPerson(deps, 'admin', { email: 'admin@timer.test', name: 'Admin' });
    await createSlaPolicy(deps, { name: 'Resolution in an hour', resolutionMinutes: 60, firstResponseMinutes: null }, admin);
    const tickets = [];
    for (let n = 0; n < 20; n++) tickets.push(await reportTestTicket(deps, admin, `Printer ${n} offline`, { impact: 2, urgency: 2 }));
    const registry = buildJobRegistry(NO_DELIVERY);
    // Whatever the reports asked for besides the timers (the storm detector) runs first.
    clock.advance(MINUTE);
    await runDueJobs(deps, registry, WORKER_OPTIONS);
    clock.advance(49 * MINUTE); // the warnings (at 45 minutes) are due, the breaches (60) are not
    const log = countStatements(database);
    expect(await runDueJobs(deps, registry, WORKER_OPTIONS)).toMatchObject({ claimed: 20, succeeded: 20 });
    if (process.env.SHOW_STATEMENTS) console.log(`${log.statements.length} statements\n${log.statements.join('\n')}`);
    // The claim; BEGIN, the tickets locked, their state changes, the warnings already noted; a note
    // each; COMMIT; the jobs marked done. One transaction per timer made it 122 (6 each).
    expect(log.statements.length).toBeLessThanOrEqual(20 + 7);
    expect(log.statements.filter((s) => /^insert into "timeline_events"/.test(s))).toHaveLength(20);

    // The same timers again (as after a crash between the commit and marking them done): nothing to record.
    const now = clock.now();
    await insertJobs(
      database.db,
      tickets.map((t) => ({
        id: `sla.check:${t.id}:resolution:warning:again`,
        kind: 'sla.check',
        payload: { ticketId: t.id, target: 'resolution', kind: 'warning' },
        runAt: now,
      })),
      now,
    );
    log.reset();
    expect(await runDueJobs(deps, registry, WORKER_OPTIONS)).toMatchObject({ claimed: 20, succeeded: 20 });
    // The claim, BEGIN, the lock, the state changes, the notes, COMMIT, done: 102 one timer at a time.
    expect(log.statements.length).toBeLessThanOrEqual(7);
    expect((await findJob(database.db, `sla.check:${tickets[0].id}:resolution:warning:again`))?.state).toBe('done');
  });
});
