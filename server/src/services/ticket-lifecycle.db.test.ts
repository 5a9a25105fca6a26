import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekdayCalendar } from '../../../core/business-calendar.js';
import { createTestDatabase } from '../../test/database.js';
import { reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { notifications } from '../db/schema/index.js';
import { parseEmail } from '../intake/email/parse-email.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createUser } from './directory.service.js';
import { receiveEmail } from './email-intake.service.js';
import { createCalendar, createSlaPolicy, getTicketSla } from './sla.service.js';
import { createTeam } from './teams.service.js';
import { addComment } from './ticket-conversation.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let colleague: { id: string; role: 'agent' };
let requester: { id: string; role: 'requester' };
let networkTeamId: string;
let databaseTeamId: string;
const MINUTE = 60_000;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z'); // Monday 09:00 in Berlin
  deps = { db: database.db, clock };
  const make = async (email: string, role: 'agent' | 'requester') =>
    (await createUser(deps, { email, name: email.split('@')[0], role, timeZone: 'Europe/Berlin' })).id;
  agent = { id: await make('alex@lifecycle.test', 'agent'), role: 'agent' };
  colleague = { id: await make('dana@lifecycle.test', 'agent'), role: 'agent' };
  requester = { id: await make('rita@lifecycle.test', 'requester'), role: 'requester' };
  networkTeamId = (await createTeam(deps, { name: 'Network', memberIds: [agent.id], managerId: null })).id;
  databaseTeamId = (await createTeam(deps, { name: 'Database', memberIds: [colleague.id], managerId: colleague.id })).id;
  const calendar = await createCalendar(deps, { name: 'Office', ...weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }]) });
  await createSlaPolicy(deps, { name: 'All', calendarId: calendar.id, resolutionMinutes: 8 * 60 });
});
afterAll(() => database.close());

const report = (title: string) => reportTestTicket(deps, requester, title, {}, 'portal');
const timeline = (ticketId: string) => listTimelineEvents(database.db, { ticketId, includeInternal: true, limit: 100 });

async function onHold(title: string, onHoldReason: 'awaiting_requester' | 'awaiting_vendor') {
  const ticket = await report(title);
  await updateTicket(deps, agent, ticket.id, { teamId: networkTeamId, assigneeId: agent.id });
  await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
  return transitionTicket(deps, agent, ticket.id, { to: 'on_hold', onHoldReason });
}

describe("a requester's reply to a ticket waiting for them", () => {
  it('moves it back to in progress on the timeline, resumes the SLA and tells the assignee', async () => {
    const held = await onHold('Printer jams on tray 2', 'awaiting_requester');
    clock.advance(30 * MINUTE);
    expect((await getTicketSla(database.db, agent, held.id, clock.now()))[0].status).toBe('paused');

    await addComment(deps, requester, held.id, { body: 'It is the HP on floor 3', visibility: 'public' });

    const events = await timeline(held.id);
    const last = events.slice(-2);
    expect(last.map((e) => e.type)).toEqual(['comment', 'state_changed']);
    expect(last[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'state', from: 'on_hold', to: 'in_progress' },
        { field: 'onHoldReason', from: 'awaiting_requester', to: null },
      ]),
    );
    expect(last[1].data).toMatchObject({ action: 'resume', cause: 'requester_replied' });
    const sla = await getTicketSla(database.db, agent, held.id, clock.now());
    expect(sla[0].status).toBe('running');
    const told = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, held.id), eq(notifications.userId, agent.id), eq(notifications.channel, 'in_app')));
    expect(told.map((n) => n.reason)).toContain('reply_from_requester');
  });

  it('does the same for a reply by e-mail, through the same path', async () => {
    const held = await onHold('Scanner on floor 2 offline', 'awaiting_requester');
    const raw = Buffer.from(
      `From: rita@lifecycle.test\r\nTo: support@firebreak.test\r\nMessage-ID: <${randomUUID()}@client.test>\r\nSubject: Re: [${held.number}] Scanner on floor 2 offline\r\n\r\nIt is the Canon by the window.\r\n`,
    );
    const received = await receiveEmail(
      deps,
      { messageIdDomain: 'firebreak.test', ownAddresses: ['support@firebreak.test'], attachments: { maxBytes: 1_000_000, maxCount: 5 } },
      { raw, parsed: await parseEmail(raw), envelope: { mailFrom: 'rita@lifecycle.test', rcptTo: ['support@firebreak.test'] } },
    );
    expect(received.outcome).toBe('comment_added');
    expect(await findTicketById(database.db, held.id)).toMatchObject({ state: 'in_progress', onHoldReason: null, assigneeId: agent.id });
    expect((await timeline(held.id)).at(-1)?.data).toMatchObject({ cause: 'requester_replied' });
  });

  it('leaves other hold reasons alone', async () => {
    const held = await onHold('Switch needs a vendor part', 'awaiting_vendor');
    await addComment(deps, requester, held.id, { body: 'Any news?', visibility: 'public' });
    const events = await timeline(held.id);
    expect(events.at(-1)?.type).toBe('comment');
    const ticket = await updateTicket(deps, agent, held.id, {});
    expect(ticket).toMatchObject({ state: 'on_hold', onHoldReason: 'awaiting_vendor' });
  });

  it("is not lifted by the desk's own reply or work note", async () => {
    const held = await onHold('VPN profile', 'awaiting_requester');
    await addComment(deps, agent, held.id, { body: 'Did you try again?', visibility: 'public' });
    await addComment(deps, agent, held.id, { body: 'chasing', visibility: 'internal' });
    expect((await timeline(held.id)).filter((e) => e.type === 'state_changed').at(-1)?.changes).toEqual(
      expect.arrayContaining([{ field: 'state', from: 'in_progress', to: 'on_hold' }]),
    );
  });
});

describe('reassigning to another team mid-flight', () => {
  it('clears the assignee of an in-progress ticket, returns it to the new team unassigned and records the reassignment', async () => {
    const ticket = await report('Replication lag');
    await updateTicket(deps, agent, ticket.id, { teamId: networkTeamId, assigneeId: agent.id });
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });

    const moved = await updateTicket(deps, agent, ticket.id, { teamId: databaseTeamId });
    expect(moved.teamId).toBe(databaseTeamId);
    expect(moved.assigneeId).toBeNull();
    expect(moved.state).toBe('new');

    const events = await timeline(ticket.id);
    const assignment = events.filter((e) => e.type === 'assigned').at(-1);
    expect(assignment?.changes).toEqual(
      expect.arrayContaining([
        { field: 'teamId', from: networkTeamId, to: databaseTeamId },
        { field: 'assigneeId', from: agent.id, to: null },
      ]),
    );
    expect(assignment?.data).toMatchObject({ reassignedTeam: true });
    expect(events.at(-1)?.changes).toEqual(expect.arrayContaining([{ field: 'state', from: 'in_progress', to: 'new' }]));
  });

  it('does the same for an on-hold ticket, dropping the hold (the new team decides what it waits for)', async () => {
    const held = await onHold('Disk full on db-7', 'awaiting_vendor');
    const moved = await updateTicket(deps, agent, held.id, { teamId: databaseTeamId });
    expect(moved).toMatchObject({ teamId: databaseTeamId, assigneeId: null, state: 'new', onHoldReason: null });
  });

  it('keeps a named assignee who is in the new team, and clears one who is not', async () => {
    const ticket = await report('Backup job slow');
    await updateTicket(deps, agent, ticket.id, { teamId: networkTeamId, assigneeId: agent.id });
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    const named = await updateTicket(deps, agent, ticket.id, { teamId: databaseTeamId, assigneeId: colleague.id });
    expect(named).toMatchObject({ teamId: databaseTeamId, assigneeId: colleague.id, state: 'in_progress' });

    // An assigned (not yet started) ticket moved to a team its assignee is not in goes back to the queue.
    const other = await report('Wi-Fi in room 4');
    await updateTicket(deps, agent, other.id, { teamId: networkTeamId, assigneeId: agent.id });
    const moved = await updateTicket(deps, agent, other.id, { teamId: databaseTeamId });
    expect(moved).toMatchObject({ teamId: databaseTeamId, assigneeId: null, state: 'new' });
  });
});

describe('moving a resolved ticket to another team', () => {
  it('needs an owner named in the new team, saying so for the assignee field, and changes nothing', async () => {
    const ticket = await report('Password reset loop');
    await updateTicket(deps, agent, ticket.id, { teamId: networkTeamId, assigneeId: agent.id });
    const resolved = await transitionTicket(deps, agent, ticket.id, {
      to: 'resolved',
      resolutionCode: 'solved_remotely',
      resolutionNotes: 'Reset it.',
    });
    await expect(updateTicket(deps, agent, ticket.id, { teamId: databaseTeamId })).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'assigneeId' })],
    });
    expect(await findTicketById(database.db, ticket.id)).toMatchObject({ teamId: networkTeamId, version: resolved.version });
  });
});

describe('changing the on-hold reason while on hold', () => {
  it('needs no resume: on_hold → on_hold with another reason is a recorded move', async () => {
    const held = await onHold('Laptop battery swells', 'awaiting_requester');
    const changed = await transitionTicket(deps, agent, held.id, { to: 'on_hold', onHoldReason: 'awaiting_vendor' });
    expect(changed).toMatchObject({ state: 'on_hold', onHoldReason: 'awaiting_vendor' });
    const last = (await timeline(held.id)).at(-1);
    expect(last?.changes).toEqual([{ field: 'onHoldReason', from: 'awaiting_requester', to: 'awaiting_vendor' }]);
  });
});
