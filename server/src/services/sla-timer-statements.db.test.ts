import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { countStatements } from '../../test/statement-counter.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
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
});
