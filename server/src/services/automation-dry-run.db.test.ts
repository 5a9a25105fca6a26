import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/permissions.js';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { dryRunRule } from './automation-rules.service.js';

/**
 * A dry run over "the newest N tickets" (issue 18 item 2) must look at the same tickets each time
 * it is asked: tickets opened at the same instant (an import, a burst from one e-mail) are
 * ordered by id after their opening time, so the N-th and (N+1)-th never swap between two runs.
 */
let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let admin: Actor;
let desk: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-06-02T10:00:00Z') };
  admin = await createTestPerson(deps, 'admin', { email: 'admin@dry.test', name: 'Admin' });
  desk = await createTestPerson(deps, 'agent', { email: 'desk@dry.test', name: 'Desk' });
});
afterAll(() => database.close());

const draft = {
  name: 'Printers urgent',
  enabled: false,
  stopAfterMatch: false,
  trigger: { on: 'created' as const },
  conditions: [{ op: 'contains' as const, text: 'printer' }],
  actions: [{ type: 'set_fields' as const, urgency: 1 as const }],
};

describe('dry run: the newest N tickets', () => {
  it('takes the newest first and, among tickets opened at the same instant, the same ones every time (by id)', async () => {
    // Six at one instant, then one a minute later.
    const burst = [];
    for (let i = 0; i < 6; i++) burst.push(await reportTestTicket(deps, desk, `Printer ${i} offline`));
    deps.clock.advance(60_000);
    const later = await reportTestTicket(deps, desk, 'Printer on floor 3 jams');

    const run = async () => (await dryRunRule(deps, admin, { rule: draft, last: 4 })).items.map((i) => i.ticket.id);
    const first = await run();
    const sameInstant = burst.map((t) => t.id).sort((a, b) => (a < b ? 1 : -1));
    expect(first).toEqual([later.id, ...sameInstant.slice(0, 3)]);
    for (let i = 0; i < 3; i++) expect(await run()).toEqual(first);
  });
});
