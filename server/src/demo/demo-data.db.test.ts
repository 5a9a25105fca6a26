import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_KINDS, TICKET_STATES } from '../../../core/vocabulary.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import type { TicketListRow } from '../repositories/tickets.repository.js';
import { signIn } from '../services/auth.service.js';
import { searchUsers } from '../services/directory.service.js';
import { listTeamsWithMembers } from '../services/teams.service.js';
import { getTimeline, searchTickets } from '../services/ticket-query.service.js';
import { loadDemoData } from './demo-data.js';
import { DEMO_PASSWORD } from './demo-people.js';

const NOW = new Date('2026-03-18T14:05:00Z');
const DAY = 86_400_000;

let database: Database;
let summary: string;
let tickets: TicketListRow[];
let admin: { id: string; role: 'admin' };

async function allTickets(db: Database['db']): Promise<TicketListRow[]> {
  const found = await searchTickets(db, admin, { sort: 'openedAt', limit: 1000 });
  return found.items;
}

beforeAll(async () => {
  database = await createTestDatabase();
  summary = await loadDemoData({ db: database.db, clock: new FakeClock(NOW) });
  const admins = await searchUsers(database.db, { role: 'admin', limit: 10 });
  admin = { id: admins.items[0].id, role: 'admin' };
  tickets = await allTickets(database.db);
}, 180_000);

afterAll(() => database?.close());

describe('the demo desk', () => {
  it('has a few hundred tickets of both kinds in every state', () => {
    expect(tickets.length).toBeGreaterThanOrEqual(250);
    for (const kind of TICKET_KINDS) expect(tickets.some((t) => t.ticket.kind === kind)).toBe(true);
    for (const state of TICKET_STATES) expect(tickets.filter((t) => t.ticket.state === state).length).toBeGreaterThan(3);
  });

  it('spreads tickets over the past month, none in the future', () => {
    const opened = tickets.map((t) => t.ticket.openedAt.getTime());
    expect(Math.min(...opened)).toBeGreaterThanOrEqual(NOW.getTime() - 31 * DAY);
    expect(Math.min(...opened)).toBeLessThan(NOW.getTime() - 20 * DAY);
    expect(Math.max(...opened)).toBeGreaterThan(NOW.getTime() - DAY);
    for (const { ticket } of tickets) expect(ticket.updatedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it('keeps every ticket consistent with its state', () => {
    for (const { ticket } of tickets) {
      if (ticket.state === 'resolved' || ticket.state === 'closed') {
        expect(ticket.resolutionCode, ticket.number).toBeTruthy();
        expect(ticket.resolutionNotes?.length, ticket.number).toBeGreaterThan(10);
      }
      if (ticket.state === 'on_hold') expect(ticket.onHoldReason, ticket.number).toBeTruthy();
      if (ticket.state === 'new') expect(ticket.assigneeId, ticket.number).toBeNull();
      if (['assigned', 'in_progress', 'on_hold'].includes(ticket.state)) expect(ticket.assigneeId, ticket.number).toBeTruthy();
      expect(ticket.teamId, ticket.number).toBeTruthy();
    }
    const overridden = tickets.filter((t) => t.ticket.priorityOverridden);
    expect(overridden.length).toBeGreaterThan(0);
    for (const { ticket } of overridden) expect(ticket.priorityOverrideReason).toBeTruthy();
  });

  it('gives every ticket a timeline that starts with its creation and runs forward in time', async () => {
    let reopened = 0;
    let workNotes = 0;
    let comments = 0;
    for (const { ticket } of tickets) {
      const { items } = await getTimeline(database.db, admin, ticket.id, { limit: 200 });
      expect(items[0].type, ticket.number).toBe('created');
      const times = items.map((e) => e.at.getTime());
      expect(times, ticket.number).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBe(ticket.openedAt.getTime());
      reopened += items.filter((e) => e.data?.action === 'reopen').length;
      workNotes += items.filter((e) => e.type === 'work_note').length;
      comments += items.filter((e) => e.type === 'comment').length;
    }
    expect(reopened).toBeGreaterThan(0);
    expect(workNotes).toBeGreaterThan(tickets.length / 2);
    expect(comments).toBeGreaterThan(tickets.length / 2);
  });

  it('lets the demo staff sign in with the password printed in the summary', async () => {
    expect(summary).toContain(DEMO_PASSWORD);
    const email = /admin\s+.+?\s(\S+@\S+)/.exec(summary)?.[1] as string;
    const signedIn = await signIn(
      { db: database.db, clock: new FakeClock(NOW), sessionHours: 8 },
      { email, password: DEMO_PASSWORD, ip: '127.0.0.1' },
    );
    expect(signedIn.user.role).toBe('admin');
    const teams = await listTeamsWithMembers(database.db);
    expect(teams.map((t) => t.name)).toContain('Service Desk');
    for (const team of teams) expect(team.memberIds.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to load a second time and leaves the desk as it was', async () => {
    await expect(loadDemoData({ db: database.db, clock: new FakeClock(NOW) })).rejects.toThrow(/already loaded/);
    expect((await allTickets(database.db)).length).toBe(tickets.length);
  });

  it('tells the same stories on another empty database', async () => {
    const other = await createTestDatabase();
    try {
      await loadDemoData({ db: other.db, clock: new FakeClock(NOW) });
      const again = await allTickets(other.db);
      const shape = (rows: TicketListRow[]) =>
        rows.map((r) => [r.ticket.number, r.ticket.title, r.ticket.state, r.ticket.priority, r.ticket.openedAt.toISOString()]);
      expect(shape(again)).toEqual(shape(tickets));
    } finally {
      await other.close();
    }
  }, 180_000);
});
