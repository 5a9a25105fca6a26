import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTicketNumber } from '../../../core/ticket-number.js';
import type { TicketKind } from '../../../core/vocabulary.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { createUser } from '../services/directory.service.js';
import { reportTicket } from '../services/ticket-intake.service.js';

/**
 * A new ticket's number is drawn from its kind's sequence inside the INSERT (no round trip of its
 * own); it must read exactly as core's `formatTicketNumber` writes it, past seven digits too.
 */
let database: Database;
const clock = new FakeClock('2026-05-04T08:00:00Z');
let agent: { id: string; role: 'agent' };

beforeAll(async () => {
  database = await createTestDatabase();
  agent = {
    id: (await createUser({ db: database.db, clock }, { email: 'numbers@test.test', name: 'Nina', role: 'agent', timeZone: 'UTC' })).id,
    role: 'agent',
  };
});
afterAll(() => database.close());

const report = async (kind: TicketKind) =>
  (
    await reportTicket(
      { db: database.db, clock },
      agent,
      { kind, title: `A ${kind}`, description: '', impact: 3, urgency: 3, scope: 'local' },
      { defaultChannel: 'api' },
    )
  ).ticket.number;

describe('ticket numbers drawn in the INSERT', () => {
  it("are each kind's next, written as core writes them, and grow a digit past 9,999,999", async () => {
    expect(await report('incident')).toBe(formatTicketNumber('incident', 1));
    expect(await report('service_request')).toBe(formatTicketNumber('service_request', 1));
    expect(await report('disturbance')).toBe(formatTicketNumber('disturbance', 1));
    expect(await report('incident')).toBe('INC0000002');

    await database.db.execute(sql`SELECT setval('ticket_number_incident', 9999998)`);
    expect(await report('incident')).toBe(formatTicketNumber('incident', 9_999_999));
    expect(await report('incident')).toBe(formatTicketNumber('incident', 10_000_000));
    expect(formatTicketNumber('incident', 10_000_000)).toBe('INC10000000');
  });
});
