import fs from 'node:fs';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { tickets } from '../db/schema/index.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { createUser } from './directory.service.js';
import { escalateTicket } from './escalation.service.js';
import { createTeam } from './teams.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

/** The reassignment count for KPIs (issue 12 #6): kept by every move of owner, and backfilled by migration 0036. */
let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let ana: { id: string; role: 'agent' };
let ben: { id: string; role: 'agent' };
let cleo: { id: string; role: 'agent' };
let requester: { id: string; role: 'requester' };
let network: string;
let databaseTeam: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-03-02T08:00:00Z') };
  const make = async (email: string, role: 'agent' | 'requester') =>
    (await createUser(deps, { email, name: email.split('@')[0], role, timeZone: 'Europe/London' })).id;
  ana = { id: await make('ana@reassign.test', 'agent'), role: 'agent' };
  ben = { id: await make('ben@reassign.test', 'agent'), role: 'agent' };
  cleo = { id: await make('cleo@reassign.test', 'agent'), role: 'agent' };
  requester = { id: await make('rita@reassign.test', 'requester'), role: 'requester' };
  network = (await createTeam(deps, { name: 'Network', memberIds: [ana.id, ben.id], managerId: null })).id;
  databaseTeam = (await createTeam(deps, { name: 'Database', memberIds: [cleo.id], managerId: null })).id;
});
afterAll(() => database.close());

const report = async (title: string) =>
  (
    await reportTicket(
      deps,
      requester,
      { kind: 'incident', title, description: '', impact: 3, urgency: 3, scope: 'local' },
      { defaultChannel: 'portal' },
    )
  ).ticket;
const countOf = async (id: string) => (await findTicketById(database.db, id))?.reassignmentCount;

describe('the reassignment count', () => {
  it('does not count the first assignment of a team and a person', async () => {
    const ticket = await report('Wi-Fi drops on floor 2');
    await updateTicket(deps, ana, ticket.id, { teamId: network });
    await updateTicket(deps, ana, ticket.id, { assigneeId: ana.id });
    expect(await countOf(ticket.id)).toBe(0);
  });

  it('counts a change of assignee within the team', async () => {
    const ticket = await report('VPN slow from home');
    await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id });
    await updateTicket(deps, ana, ticket.id, { assigneeId: ben.id });
    expect(await countOf(ticket.id)).toBe(1);
  });

  it('counts a move to another team mid-flight once, though the assignee is cleared with it', async () => {
    const ticket = await report('Reports time out');
    await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id });
    await transitionTicket(deps, ana, ticket.id, { to: 'in_progress' });
    const moved = await updateTicket(deps, ana, ticket.id, { teamId: databaseTeam });
    expect(moved.assigneeId).toBeNull();
    expect(moved.reassignmentCount).toBe(1);
    // The new team's pick-up is that team's first assignment, not another reassignment.
    expect((await updateTicket(deps, cleo, ticket.id, { assigneeId: cleo.id })).reassignmentCount).toBe(1);
  });

  it('counts a functional escalation to another team, and not a hierarchical one', async () => {
    const ticket = await report('Backups failed overnight');
    await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id });
    await escalateTicket(deps, ana, ticket.id, { kind: 'hierarchical', reason: 'Needs a decision' });
    expect(await countOf(ticket.id)).toBe(0);
    await escalateTicket(deps, ana, ticket.id, { kind: 'functional', toTeamId: databaseTeam, reason: 'Database work' });
    expect(await countOf(ticket.id)).toBe(1);
  });

  it('does not count a change that keeps the owner', async () => {
    const ticket = await report('Printer offline');
    await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id });
    await updateTicket(deps, ana, ticket.id, { teamId: network, assigneeId: ana.id, title: 'Printer offline on floor 3' });
    expect(await countOf(ticket.id)).toBe(0);
  });

  it('is backfilled by migration 0036 from the timeline, to the same counts', async () => {
    const rows = await database.db.select({ id: tickets.id, count: tickets.reassignmentCount }).from(tickets);
    expect(rows.some((r) => r.count > 0)).toBe(true);
    // Forget the counts, then run the migration's backfill statement over the timelines written above.
    await database.db
      .update(tickets)
      .set({ reassignmentCount: 0 })
      .where(
        inArray(
          tickets.id,
          rows.map((r) => r.id),
        ),
      );
    const migration = fs.readFileSync(new URL('../db/migrations/0036_reassignment_and_visibility.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').find((s) => s.includes('UPDATE "tickets"'));
    await database.db.execute(sql.raw(backfill ?? 'missing backfill'));
    const after = await database.db.select({ id: tickets.id, count: tickets.reassignmentCount }).from(tickets);
    expect(new Map(after.map((r) => [r.id, r.count]))).toEqual(new Map(rows.map((r) => [r.id, r.count])));
  });
});
