import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { listTickets } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createUser } from './directory.service.js';
import { reportTicket } from './ticket-intake.service.js';

let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let actor: { id: string; role: 'agent' };

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock() };
  const user = await createUser(deps, { email: 'agent@intake.test', name: 'Agent', role: 'agent', timeZone: 'UTC' });
  actor = { id: user.id, role: 'agent' };
});
afterAll(() => database.close());

const input = {
  kind: 'incident' as const,
  title: 'Payroll export fails',
  description: '',
  impact: 2 as const,
  urgency: 2 as const,
  scope: 'local' as const,
};

describe('reporting with an Idempotency-Key', () => {
  it('makes one ticket when the same request arrives many times at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => reportTicket(deps, actor, input, { defaultChannel: 'api', idempotencyKey: 'concurrent-1' })),
    );
    const ids = new Set(results.map((r) => r.ticket.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const rows = await listTickets(database.db, { filter: { text: 'payroll export' }, sort: '-openedAt', limit: 50 });
    expect(rows).toHaveLength(1);
    const events = await listTimelineEvents(database.db, { ticketId: rows[0].ticket.id, includeInternal: true, limit: 50 });
    expect(events.map((e) => e.type)).toEqual(['created']);
  });

  it('keeps keys per user: another user with the same key gets their own ticket', async () => {
    const other = await createUser(deps, { email: 'other@intake.test', name: 'Other', role: 'agent', timeZone: 'UTC' });
    const mine = await reportTicket(deps, actor, { ...input, title: 'Key clash' }, { defaultChannel: 'api', idempotencyKey: 'shared' });
    const theirs = await reportTicket(
      deps,
      { id: other.id, role: 'agent' },
      { ...input, title: 'Key clash' },
      {
        defaultChannel: 'api',
        idempotencyKey: 'shared',
      },
    );
    expect(theirs.ticket.id).not.toBe(mine.ticket.id);
    expect(theirs.replayed).toBe(false);
  });

  it('rolls back the claim with the ticket when the report is refused, so a corrected retry works', async () => {
    await expect(
      reportTicket(
        deps,
        actor,
        { ...input, serviceId: '00000000-0000-4000-8000-000000000000' },
        { defaultChannel: 'api', idempotencyKey: 'fix-me' },
      ),
    ).rejects.toThrow('no service has the id');
    const retry = await reportTicket(deps, actor, input, { defaultChannel: 'api', idempotencyKey: 'fix-me' });
    expect(retry.replayed).toBe(false);
  });
});
