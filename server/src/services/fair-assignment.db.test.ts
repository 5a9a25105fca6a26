import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/permissions.js';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, NINE_TO_FIVE_WEEK, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { updateUserById } from './directory.service.js';
import { escalateTicket } from './escalation.service.js';
import { assignFairly } from './fair-assignment.service.js';
import { createSchedule } from './on-call.service.js';
import { createCalendar } from './sla.service.js';
import { createTeam, updateTeamById } from './teams.service.js';
import { updateTicket } from './ticket-work.service.js';

/**
 * Fair assignment through the services (issue 18, item 3): a team's default at intake, and the
 * `assignFairly` action, honouring deactivation, the cap, the shift schedule and working hours,
 * with the reason on the ticket's timeline.
 */
let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let admin: Actor;
let desk: Actor;
let requester: Actor;
const people: Record<string, Actor> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  // A Tuesday, 10:00 UTC: inside a nine-to-five week.
  clock = new FakeClock('2026-06-02T10:00:00Z');
  deps = { db: database.db, clock };
  admin = await createTestPerson(deps, 'admin', { email: 'admin@fair.test', name: 'Admin' });
  desk = await createTestPerson(deps, 'agent', { email: 'desk@fair.test', name: 'Desk' });
  requester = await createTestPerson(deps, 'requester', { email: 'req@fair.test', name: 'Requester' });
  for (const name of ['Ana', 'Ben', 'Cy', 'Dan', 'Eve', 'Fay']) {
    people[name] = await createTestPerson(deps, 'agent', { email: `${name.toLowerCase()}@fair.test`, name });
  }
});
afterAll(() => database.close());

const ids = (...names: string[]) => names.map((n) => people[n].id);
const nameOf = (id: string | null) => Object.entries(people).find(([, p]) => p.id === id)?.[0] ?? null;

async function fairEvents(ticketId: string) {
  const events = await listTimelineEvents(database.db, { ticketId, includeInternal: true, limit: 50 });
  return events.filter((e) => e.data && 'fairAssignment' in e.data);
}

describe('fair assignment', () => {
  it("gives a team's new tickets to its members in turn, with the reason on each timeline", async () => {
    const team = await createTeam(deps, { name: 'Network', memberIds: ids('Cy', 'Ana', 'Ben'), assignmentStrategy: 'round_robin' });
    const taken: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const ticket = await reportTestTicket(deps, desk, `VPN drops ${i}`, { teamId: team.id });
      expect(ticket.state).toBe('assigned');
      taken.push(nameOf(ticket.assigneeId));
      const [event] = await fairEvents(ticket.id);
      expect(event).toMatchObject({
        type: 'assigned',
        data: { fairAssignment: { strategy: 'round_robin', reason: 'round robin: next in turn' } },
      });
      expect(event.changes).toEqual([{ field: 'assigneeId', from: null, to: ticket.assigneeId }]);
    }
    // Members in name order, starting again after the last.
    expect(taken).toEqual(['Ana', 'Ben', 'Cy', 'Ana']);
  });

  it('gives a ticket moved to the team to a member, with the move and the reason in one event', async () => {
    const from = await createTeam(deps, { name: 'First line', memberIds: ids('Cy') });
    const to = await createTeam(deps, { name: 'Second line', memberIds: ids('Ben'), assignmentStrategy: 'round_robin' });
    const ticket = await reportTestTicket(deps, desk, 'Needs second line', { teamId: from.id, assigneeId: people.Cy.id });
    const moved = await updateTicket(deps, desk, ticket.id, { teamId: to.id });
    expect(moved).toMatchObject({ teamId: to.id, assigneeId: people.Ben.id, state: 'assigned' });
    const [event] = await fairEvents(ticket.id);
    expect(event).toMatchObject({ type: 'assigned', data: { reassignedTeam: true, fairAssignment: { strategy: 'round_robin' } } });
    // A functional escalation to the team is shared the same way, the reason on the escalation.
    const escalated = await reportTestTicket(deps, desk, 'Escalate me', { teamId: from.id });
    const saved = await escalateTicket(deps, desk, escalated.id, { kind: 'functional', toTeamId: to.id, reason: 'Needs tier 2' });
    expect(saved).toMatchObject({ teamId: to.id, assigneeId: people.Ben.id, state: 'assigned' });
    const [escalation] = await fairEvents(escalated.id);
    expect(escalation).toMatchObject({ type: 'escalated', data: { fairAssignment: { strategy: 'round_robin' } } });
    // Naming the assignee wins over the team's strategy.
    const named = await reportTestTicket(deps, desk, 'Named', { teamId: from.id });
    expect(await updateTicket(deps, desk, named.id, { teamId: to.id, assigneeId: null })).toMatchObject({ assigneeId: null });
  });

  it('passes over deactivated and capped members and picks the lightest load, weighting priority', async () => {
    const team = await createTeam(deps, { name: 'Database', memberIds: ids('Dan', 'Eve', 'Fay') });
    await updateTeamById(deps, team.id, { assignmentCap: 2 });
    // Dan holds two P5-ish tickets (at the cap); Eve one P1 (weighs 5); Fay is deactivated.
    for (const title of ['Slow query', 'Index bloat'])
      await reportTestTicket(deps, desk, title, { teamId: team.id, assigneeId: people.Dan.id });
    await reportTestTicket(deps, desk, 'Primary down', { teamId: team.id, assigneeId: people.Eve.id, impact: 1, urgency: 1 });
    await updateUserById(deps, admin.id, people.Fay.id, { active: false });

    const ticket = await reportTestTicket(deps, desk, 'Replica lag', { teamId: team.id });
    expect(ticket.assigneeId).toBeNull(); // the team has no default strategy: it waits in the queue
    const result = await assignFairly(deps, desk, ticket.id, { strategy: 'least_loaded' });
    expect(nameOf(result.assigneeId)).toBe('Eve');
    expect(result.reason).toBe(
      'least loaded: the lightest load, 1 open ticket weighing 5 (cap 2); passed over Dan (at the cap of open tickets), Fay (deactivated)',
    );
    const saved = await findTicketById(database.db, ticket.id);
    expect(saved).toMatchObject({ assigneeId: people.Eve.id, state: 'assigned' });
    const [event] = await fairEvents(ticket.id);
    expect(event).toMatchObject({ type: 'assigned', actorId: desk.id, data: { fairAssignment: { strategy: 'least_loaded' } } });

    // Eve reaches the cap too: nobody can take the next one, and the reason is a work note.
    await reportTestTicket(deps, desk, 'Backup failed', { teamId: team.id, assigneeId: people.Eve.id });
    const next = await reportTestTicket(deps, desk, 'Disk full', { teamId: team.id });
    const none = await assignFairly(deps, null, next.id, { strategy: 'round_robin' });
    expect(none.assigneeId).toBeNull();
    expect(none.reason).toMatch(/^round robin: nobody could take it \(cap 2\); passed over /);
    const [note] = await fairEvents(next.id);
    expect(note).toMatchObject({ type: 'work_note', internal: true, actorId: null });
    expect(note.body).toBe(`Fair assignment: ${none.reason}`);
    expect((await findTicketById(database.db, next.id))?.version).toBe(next.version);
  });

  it('never gives a ticket to a member who is no longer staff (demoted to requester, still on the team)', async () => {
    const gil = await createTestPerson(deps, 'agent', { email: 'gil@fair.test', name: 'Gil' });
    const team = await createTeam(deps, { name: 'Printers', memberIds: [gil.id, people.Ben.id] });
    await updateUserById(deps, admin.id, gil.id, { role: 'requester' });
    for (const title of ['Jam on floor 2', 'Toner empty', 'Printer offline']) {
      const ticket = await reportTestTicket(deps, desk, title, { teamId: team.id });
      const result = await assignFairly(deps, desk, ticket.id, { strategy: 'round_robin' });
      expect(nameOf(result.assigneeId)).toBe('Ben');
    }
  });

  it('gives tickets only to members on shift in the team schedule', async () => {
    const schedule = await createSchedule(deps, {
      name: 'Service desk shifts',
      description: '',
      timeZone: 'UTC',
      layers: [{ name: 'Day', rotation: { kind: 'weekly' }, handoffTime: '08:00', startDate: '2026-06-01', participants: ids('Ben') }],
    });
    const team = await createTeam(deps, {
      name: 'Service desk',
      memberIds: ids('Ana', 'Ben', 'Cy'),
      assignmentStrategy: 'round_robin',
      shiftScheduleId: schedule.id,
    });
    const first = await reportTestTicket(deps, desk, 'Printer jam', { teamId: team.id });
    const second = await reportTestTicket(deps, desk, 'Monitor flickers', { teamId: team.id });
    // Only Ben is on shift: he takes both (nobody else is eligible), and the reason says why the others were passed over.
    expect([nameOf(first.assigneeId), nameOf(second.assigneeId)]).toEqual(['Ben', 'Ben']);
    const [event] = await fairEvents(second.id);
    expect((event.data as { fairAssignment: { reason: string } }).fairAssignment.reason).toBe(
      'round robin: next in turn; passed over Cy (off shift), Ana (off shift)',
    );
  });

  it("leaves tickets in the queue outside the team's working hours", async () => {
    const calendar = await createCalendar(deps, { name: 'Office hours', timeZone: 'UTC', week: NINE_TO_FIVE_WEEK, holidays: [] });
    const team = await createTeam(deps, {
      name: 'Facilities',
      memberIds: ids('Ana'),
      assignmentStrategy: 'least_loaded',
      workingHoursCalendarId: calendar.id,
    });
    const during = await reportTestTicket(deps, desk, 'Heating off', { teamId: team.id });
    expect(nameOf(during.assigneeId)).toBe('Ana');
    clock.set(new Date('2026-06-02T20:00:00Z'));
    const after = await reportTestTicket(deps, desk, 'Lights off', { teamId: team.id });
    expect(after).toMatchObject({ assigneeId: null, state: 'new' });
    const [note] = await fairEvents(after.id);
    expect(note.body).toBe("Fair assignment: least loaded: outside Facilities's working hours, so it waits in the queue");
    clock.set(new Date('2026-06-02T10:00:00Z'));
  });

  it('refuses what it cannot do, naming why, and changes nothing; without a strategy it takes turns', async () => {
    const plain = await createTeam(deps, { name: 'Plain', memberIds: ids('Ana') });
    const ticket = await reportTestTicket(deps, desk, 'No strategy', { teamId: plain.id });
    const teamless = await reportTestTicket(deps, desk, 'No team');
    await expect(assignFairly(deps, desk, teamless.id, { strategy: 'round_robin' })).rejects.toMatchObject({
      errors: [{ field: 'teamId' }],
    });
    await expect(assignFairly(deps, requester, ticket.id, { strategy: 'round_robin' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await findTicketById(database.db, ticket.id))?.version).toBe(ticket.version);
    // A team without a strategy of its own shares in turn when asked.
    expect(nameOf((await assignFairly(deps, desk, ticket.id)).assigneeId)).toBe('Ana');
  });

  it("keeps a member's cap when two of their teams assign at once (their open tickets count across teams)", async () => {
    // Each round: one person on two teams, each with a cap of one open ticket, and a ticket arriving
    // in each team at the same moment. Only one of them may go to the person; the other waits.
    for (let round = 0; round < 4; round++) {
      const shared = await createTestPerson(deps, 'agent', { email: `shared${round}@fair.test`, name: `Shared ${round}` });
      const teams = await Promise.all(
        ['Left', 'Right'].map(async (side) => {
          const team = await createTeam(deps, { name: `${side} ${round}`, memberIds: [shared.id], assignmentStrategy: 'round_robin' });
          await updateTeamById(deps, team.id, { assignmentCap: 1 });
          return team;
        }),
      );
      const both = await Promise.all(teams.map((team) => reportTestTicket(deps, desk, `Outage in ${team.name}`, { teamId: team.id })));
      expect(both.map((t) => t.assigneeId === shared.id).sort()).toEqual([false, true]);
    }
  });

  it('takes turns when two tickets arrive at once', async () => {
    const team = await createTeam(deps, { name: 'Storage', memberIds: ids('Ana', 'Ben'), assignmentStrategy: 'round_robin' });
    const both = await Promise.all([
      reportTestTicket(deps, desk, 'SAN alarm', { teamId: team.id }),
      reportTestTicket(deps, desk, 'NAS full', { teamId: team.id }),
    ]);
    expect(both.map((t) => nameOf(t.assigneeId)).sort()).toEqual(['Ana', 'Ben']);
  });
});
