import fs from 'node:fs';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { tickets } from '../db/schema/index.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { createUser } from './directory.service.js';
import { createTeam } from './teams.service.js';
import { addComment } from './ticket-conversation.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { searchTickets } from './ticket-query.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

/** The reopen and staff-reply counts for KPIs (issue 16 #1): kept by the pipeline, backfilled by migration 0047. */
let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let ana: { id: string; role: 'agent' };
let rita: { id: string; role: 'requester' };
let network: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-03-02T08:00:00Z') };
  const make = async (email: string, role: 'agent' | 'requester') =>
    (await createUser(deps, { email, name: email.split('@')[0], role, timeZone: 'Europe/London' })).id;
  ana = { id: await make('ana@reopen.test', 'agent'), role: 'agent' };
  rita = { id: await make('rita@reopen.test', 'requester'), role: 'requester' };
  network = (await createTeam(deps, { name: 'Network', memberIds: [ana.id], managerId: null })).id;
});
afterAll(() => database.close());

async function resolvedTicket(title: string) {
  const { ticket } = await reportTicket(
    deps,
    rita,
    { kind: 'incident', title, description: '', impact: 3, urgency: 3, scope: 'local' },
    { defaultChannel: 'portal' },
  );
  await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id });
  await transitionTicket(deps, ana, ticket.id, { to: 'in_progress' });
  await transitionTicket(deps, ana, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed' });
  return ticket.id;
}
const countsOf = async (id: string) => {
  const t = await findTicketById(database.db, id);
  return { reopenCount: t?.reopenCount, staffReplyCount: t?.staffReplyCount, reassignmentCount: t?.reassignmentCount };
};

describe('the reopen count', () => {
  it('counts each move back from resolved into work, by the desk or by the requester', async () => {
    const id = await resolvedTicket('Laptop will not boot');
    expect((await countsOf(id)).reopenCount).toBe(0);
    await transitionTicket(deps, rita, id, { to: 'in_progress', reason: 'It broke again after lunch' });
    expect((await countsOf(id)).reopenCount).toBe(1);
    await transitionTicket(deps, ana, id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'New disk' });
    await transitionTicket(deps, ana, id, { to: 'in_progress', reason: 'Same fault on the second boot' });
    expect((await countsOf(id)).reopenCount).toBe(2);
    // A reopening is not a reassignment: the owner stayed.
    expect((await countsOf(id)).reassignmentCount).toBe(0);
  });

  it('does not count a resume from hold, which is not a reopening', async () => {
    const id = await resolvedTicket('Mail delayed');
    await transitionTicket(deps, ana, id, { to: 'in_progress', reason: 'Still delayed' });
    await transitionTicket(deps, ana, id, { to: 'on_hold', onHoldReason: 'awaiting_vendor' });
    await transitionTicket(deps, ana, id, { to: 'in_progress' });
    expect((await countsOf(id)).reopenCount).toBe(1);
  });
});

describe('the staff reply count', () => {
  it('counts public comments by staff, not work notes and not the requester’s words', async () => {
    const id = await resolvedTicket('Printer jams');
    await addComment(deps, ana, id, { body: 'Try tray 2 please', visibility: 'public' });
    await addComment(deps, ana, id, { body: 'Vendor ticket 123', visibility: 'internal' });
    await addComment(deps, rita, id, { body: 'Tray 2 works', visibility: 'public' });
    expect((await countsOf(id)).staffReplyCount).toBe(1);
    await addComment(deps, ana, id, { body: 'Glad to hear it', visibility: 'public' });
    expect((await countsOf(id)).staffReplyCount).toBe(2);
  });
});

describe('the desk queue filters a report drills down to', () => {
  it('lists reopened, reassigned and first-contact tickets', async () => {
    const manager = { id: ana.id, role: 'manager' as const };
    const reopened = await searchTickets(database.db, manager, { minReopens: 1, sort: '-openedAt', limit: 50 });
    expect(reopened.items.map((r) => r.ticket.title).sort()).toEqual(['Laptop will not boot', 'Mail delayed']);
    const firstContact = await searchTickets(database.db, manager, {
      firstContact: 'true',
      state: ['resolved'],
      sort: '-openedAt',
      limit: 50,
    });
    // "Printer jams" had two staff replies; the others were reopened.
    expect(firstContact.items).toEqual([]);
    const notFirst = await searchTickets(database.db, manager, { firstContact: 'false', sort: '-openedAt', limit: 50 });
    expect(notFirst.items).toHaveLength(3);
    expect((await searchTickets(database.db, manager, { minReassignments: 1, sort: '-openedAt', limit: 50 })).items).toEqual([]);
  });
});

describe('migration 0047', () => {
  it('backfills both counts from the timelines to what the pipeline kept', async () => {
    const rows = await database.db.select({ id: tickets.id, r: tickets.reopenCount, s: tickets.staffReplyCount }).from(tickets);
    expect(rows.some((r) => r.r > 0) && rows.some((r) => r.s > 0)).toBe(true);
    const ids = rows.map((r) => r.id);
    await database.db.update(tickets).set({ reopenCount: 0, staffReplyCount: 0 }).where(inArray(tickets.id, ids));
    const migration = fs.readFileSync(new URL('../db/migrations/0047_ticket_counts_for_kpis.sql', import.meta.url), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint').filter((s) => s.includes('UPDATE "tickets"'))) {
      await database.db.execute(sql.raw(statement));
    }
    const after = await database.db.select({ id: tickets.id, r: tickets.reopenCount, s: tickets.staffReplyCount }).from(tickets);
    expect(new Map(after.map((r) => [r.id, [r.r, r.s]]))).toEqual(new Map(rows.map((r) => [r.id, [r.r, r.s]])));
  });
});
