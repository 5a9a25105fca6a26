import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';

import { writeSetting } from '../repositories/settings.repository.js';
import { findTicketById, saveTicket } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createUser } from './directory.service.js';
import { transitionTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T09:00:00Z');
  deps = { db: database.db, clock };
  const user = await createUser(deps, { email: 'agent@autoclose.test', name: 'Agent', role: 'agent', timeZone: 'UTC' });
  agent = { id: user.id, role: 'agent' };
});
afterAll(() => database.close());

const sweep = () => runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);

async function resolvedTicket(title: string) {
  const ticket = await reportTestTicket(deps, agent, title);
  await transitionTicket(deps, agent, ticket.id, {
    to: 'resolved',
    resolutionCode: 'solved_permanently',
    resolutionNotes: 'Replaced the toner',
  });
  return ticket.id;
}

describe('closing resolved tickets automatically', () => {
  it('leaves a major incident resolved while its completion checklist is not done, and says why once', async () => {
    const ticket = await reportTestTicket(deps, agent, 'Mail down for everyone');
    await saveTicket(database.db, ticket.id, { majorSince: clock.now() });
    await transitionTicket(deps, agent, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed' });
    clock.advance(8 * DAY);
    await sweep();
    await sweep();
    expect((await findTicketById(database.db, ticket.id))?.state).toBe('resolved');
    const notes = (await listTimelineEvents(database.db, { ticketId: ticket.id, includeInternal: true, limit: 50 })).filter(
      (e) => e.type === 'work_note' && e.actorId === null,
    );
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toMatch(
      /^Not closed automatically: the completion checklist is not done \(missing: .*Post-incident review scheduled/,
    );
  });

  it('closes a resolved ticket after 7 days without a reply, as Firebreak, on the timeline', async () => {
    const id = await resolvedTicket('Printer streaks');
    clock.advance(7 * DAY - 60_000);
    await sweep();
    expect((await findTicketById(database.db, id))?.state).toBe('resolved');
    clock.advance(60_000);
    await sweep();
    const ticket = await findTicketById(database.db, id);
    expect(ticket?.state).toBe('closed');
    expect(ticket?.updatedById).toBeNull();
    const events = await listTimelineEvents(database.db, { ticketId: id, includeInternal: true, limit: 50 });
    const last = events[events.length - 1];
    expect(last).toMatchObject({
      type: 'state_changed',
      actorId: null,
      body: 'Closed automatically: no reply in the 7 days after it was resolved.',
    });
  });

  it('leaves alone a ticket reopened in the meantime, and times the new resolution afresh', async () => {
    const id = await resolvedTicket('VPN flaps');
    clock.advance(2 * DAY);
    await transitionTicket(deps, agent, id, { to: 'in_progress', reason: 'It dropped again' });
    clock.advance(1 * DAY);
    await transitionTicket(deps, agent, id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'New firmware' });
    clock.advance(5 * DAY); // the first timer is due now; the second is not
    await sweep();
    expect((await findTicketById(database.db, id))?.state).toBe('resolved');
    clock.advance(2 * DAY);
    await sweep();
    expect((await findTicketById(database.db, id))?.state).toBe('closed');
  });

  it('does nothing when the requester already confirmed, and can be turned off', async () => {
    const confirmed = await resolvedTicket('Mouse dead');
    await transitionTicket(deps, agent, confirmed, { to: 'closed' });
    const closedAt = (await findTicketById(database.db, confirmed))?.closedAt;
    await writeSetting(database.db, 'auto_close_days', 0, clock.now());
    const kept = await resolvedTicket('Monitor flickers');
    clock.advance(30 * DAY);
    await sweep();
    expect((await findTicketById(database.db, confirmed))?.closedAt).toEqual(closedAt);
    expect((await findTicketById(database.db, kept))?.state).toBe('resolved');
  });
});
