import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, openPostgres } from '../db/client.js';
import { jobs, notifications, pages, timelineEvents } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { createUser } from './directory.service.js';
import { createEscalationPolicy } from './escalation-policies.service.js';
import { addOverride, createSchedule } from './on-call.service.js';
import { acknowledgePage } from './page-acknowledgement.service.js';
import { listTicketPages } from './page-views.service.js';
import { pageTicket } from './paging.service.js';
import { createTeam } from './teams.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
type Agent = { id: string; role: 'agent' | 'manager' };
let ann: Agent; // on the schedule
let bob: Agent; // on the schedule
let cat: Agent; // level 2, a named person
let desk: Agent; // works tickets, never paged
let policyId: string;
let teamId: string;
let scheduleId: string;

const MIN = 60_000;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T10:00:00Z');
  deps = { db: database.db, clock };
  const agent = async (name: string, role: 'agent' | 'manager' = 'agent'): Promise<Agent> => ({
    id: (await createUser(deps, { email: `${name}@firebreak.test`, name, role, timeZone: 'UTC' })).id,
    role,
  });
  ann = await agent('ann');
  bob = await agent('bob');
  cat = await agent('cat');
  desk = await agent('desk');
  const schedule = await createSchedule(deps, {
    name: 'Network primary',
    description: '',
    timeZone: 'UTC',
    // ann on call from 09:00 on 1 June, bob from 09:00 on 2 June, ...
    layers: [
      { name: 'Primary', rotation: { kind: 'daily' }, handoffTime: '09:00', startDate: '2026-06-01', participants: [ann.id, bob.id] },
    ],
  });
  scheduleId = schedule.id;
  const team = await createTeam(deps, { name: 'Network', memberIds: [desk.id] });
  teamId = team.id;
  const policy = await createEscalationPolicy(deps, {
    name: 'Network critical',
    levels: [
      { targets: [{ type: 'schedule', id: schedule.id }], timeoutMinutes: 5 },
      { targets: [{ type: 'user', id: cat.id }], timeoutMinutes: 10 },
    ],
    repeat: 1,
    teamIds: [team.id],
  });
  policyId = policy.id;
});
afterAll(() => database.close());

const sweep = (db = database.db, batchSize = WORKER_OPTIONS.batchSize) =>
  runDueJobs({ db, clock }, buildJobRegistry(NO_DELIVERY), { ...WORKER_OPTIONS, batchSize, random: () => 0.5 });

const incident = (title: string, level: 1 | 2 = 1) =>
  reportTestTicket(deps, desk, title, { impact: level, urgency: level, scope: 'global', teamId });

async function pageEvents(ticketId: string) {
  return database.db
    .select({ type: timelineEvents.type, data: timelineEvents.data, internal: timelineEvents.internal })
    .from(timelineEvents)
    .where(eq(timelineEvents.ticketId, ticketId))
    .orderBy(timelineEvents.id)
    .then((rows) => rows.filter((r) => r.type.startsWith('page_')));
}

describe('paging a P1', () => {
  it("pages the team's policy in the transaction that reports a P1, level by level, repeats, then is exhausted", async () => {
    const ticket = await incident('Core switch down');
    // Already there, without any job having run: written with the ticket.
    const [listed] = await listTicketPages(database.db, desk, ticket.id);
    expect(listed.page).toMatchObject({ state: 'triggered', policyId, level: 0, round: 0, triggeredById: null });
    expect(listed.recipients.map((r) => r.userId)).toEqual([ann.id]);
    const mails = await database.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    expect(
      mails
        .filter((n) => n.userId === ann.id)
        .map((n) => [n.channel, n.reason])
        .sort(),
    ).toEqual([
      ['email', 'paged'],
      ['in_app', 'paged'],
    ]);

    // Nothing happens before the timeout.
    clock.advance(5 * MIN - 1);
    await sweep();
    expect((await pageEvents(ticket.id)).filter((e) => e.type === 'page_notified')).toHaveLength(1);
    clock.advance(1);
    await sweep(); // level 2: cat
    clock.advance(10 * MIN);
    await sweep(); // round 2, level 1: ann again
    clock.advance(5 * MIN);
    await sweep(); // round 2, level 2: cat
    clock.advance(10 * MIN);
    await sweep(); // exhausted
    clock.advance(60 * MIN);
    await sweep(); // nothing more

    const events = await pageEvents(ticket.id);
    expect(events.every((e) => e.internal)).toBe(true);
    expect(events.map((e) => [e.type, e.data?.round ?? null, e.data?.level ?? null, e.data?.userIds ?? null])).toEqual([
      ['page_triggered', null, null, null],
      ['page_notified', 0, 0, [ann.id]],
      ['page_notified', 0, 1, [cat.id]],
      ['page_notified', 1, 0, [ann.id]],
      ['page_notified', 1, 1, [cat.id]],
      ['page_exhausted', 1, 1, null],
    ]);
    const [after] = await listTicketPages(database.db, desk, ticket.id);
    expect(after.page.state).toBe('exhausted');
    expect(after.recipients).toHaveLength(4);
  });

  it('stops escalating once a paged person acknowledges: the pending timer finds the page acknowledged', async () => {
    const ticket = await incident('Firewall cluster split-brain');
    const [{ page }] = await listTicketPages(database.db, desk, ticket.id);
    // Someone who was not paged cannot acknowledge.
    await expect(acknowledgePage(deps, desk, page.id)).rejects.toMatchObject({ code: 'forbidden' });
    clock.advance(2 * MIN);
    const { page: acked } = await acknowledgePage(deps, ann, page.id);
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedById: ann.id });
    // Acknowledging twice changes nothing.
    const again = await acknowledgePage(deps, ann, page.id);
    expect(again.page.acknowledgedAt).toEqual(acked.acknowledgedAt);
    expect(again.assignment).toBeNull();
    clock.advance(60 * MIN);
    await sweep();
    const [timer] = await database.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, `page.timeout:${page.id}:0:0`));
    expect(timer.state).toBe('done');
    expect((await pageEvents(ticket.id)).map((e) => e.type)).toEqual(['page_triggered', 'page_notified', 'page_acknowledged']);
  });

  it('pages when a ticket is raised to P1, in the same transaction, and not again while that page runs', async () => {
    const ticket = await incident('Wi-Fi slow on floor 3', 2);
    expect(await listTicketPages(database.db, desk, ticket.id)).toEqual([]);
    await updateTicket(deps, desk, ticket.id, { impact: 1, urgency: 1 });
    const listed = await listTicketPages(database.db, desk, ticket.id);
    expect(listed).toHaveLength(1);
    await updateTicket(deps, desk, ticket.id, { impact: 2 });
    await updateTicket(deps, desk, ticket.id, { impact: 1 });
    expect(await listTicketPages(database.db, desk, ticket.id)).toHaveLength(1);
  });

  it('ends the page when the ticket is resolved, and the timer then does nothing', async () => {
    const ticket = await incident('DNS failing');
    await transitionTicket(deps, desk, ticket.id, { to: 'in_progress' });
    await transitionTicket(deps, desk, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Restarted' });
    clock.advance(60 * MIN);
    await sweep();
    const [{ page }] = await listTicketPages(database.db, desk, ticket.id);
    expect(page.state).toBe('resolved');
    expect((await pageEvents(ticket.id)).map((e) => e.type)).toEqual(['page_triggered', 'page_notified', 'page_ended']);
  });

  it('pages whoever an override puts on call, and by hand with a message for a P2', async () => {
    const now = clock.now();
    await addOverride(deps, desk, scheduleId, { userId: bob.id, startsAt: now, endsAt: new Date(now.getTime() + 60 * MIN) });
    const ticket = await incident('VPN degraded', 2);
    const { page } = await pageTicket(deps, desk, ticket.id, { message: 'Need network eyes on the VPN' });
    const [listed] = await listTicketPages(database.db, desk, ticket.id);
    expect(listed.page.id).toBe(page.id);
    expect(listed.page.triggeredById).toBe(desk.id);
    expect(listed.recipients.map((r) => r.userId)).toEqual([bob.id]);
    // A resolved ticket cannot be paged for.
    await transitionTicket(deps, desk, ticket.id, { to: 'in_progress' });
    await transitionTicket(deps, desk, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'ok' });
    await expect(pageTicket(deps, desk, ticket.id, { message: 'again' })).rejects.toMatchObject({ code: 'illegal_transition' });
  });
});

describe('acknowledging takes the ticket', () => {
  const who = (id: string) => [ann, bob, cat, desk].find((a) => a.id === id) as Agent;

  it('makes the acknowledger the assignee of an unassigned ticket, in the same transaction, and the timeline says so', async () => {
    const ticket = await incident('Core router reboot loop');
    expect(ticket.assigneeId).toBeNull();
    const [{ page, recipients }] = await listTicketPages(database.db, desk, ticket.id);
    const paged = who(recipients[0].userId);
    const { assignment } = await acknowledgePage(deps, paged, page.id);
    expect(assignment).toEqual({ outcome: 'assigned' });
    const after = (await findTicketById(database.db, ticket.id)) as NonNullable<Awaited<ReturnType<typeof findTicketById>>>;
    expect(after).toMatchObject({ assigneeId: paged.id, state: 'assigned' });
    const events = await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, ticket.id)).orderBy(timelineEvents.id);
    const ack = events.find((e) => e.type === 'page_acknowledged');
    expect(ack?.body).toBe('Acknowledged the page and took the ticket: nobody was assigned.');
    const assigned = events.find((e) => e.type === 'assigned');
    expect(assigned).toMatchObject({ actorId: paged.id, changes: [{ field: 'assigneeId', from: null, to: paged.id }] });
    // The assignment follows the ticket pipeline: the state moved with it, as when assigning by hand.
    expect(events.some((e) => e.type === 'state_changed' && e.actorId === paged.id)).toBe(true);
  });

  it('leaves an assigned ticket with its assignee, and says who has it', async () => {
    const ticket = await incident('Core router fan failure');
    await updateTicket(deps, desk, ticket.id, { assigneeId: desk.id });
    const [{ page, recipients }] = await listTicketPages(database.db, desk, ticket.id);
    const paged = who(recipients[0].userId);
    const { assignment } = await acknowledgePage(deps, paged, page.id);
    expect(assignment).toEqual({ outcome: 'already_assigned', assigneeName: 'desk' });
    expect(await findTicketById(database.db, ticket.id)).toMatchObject({ assigneeId: desk.id });
    const [ack] = (await pageEvents(ticket.id)).filter((e) => e.type === 'page_acknowledged');
    expect(ack).toBeDefined();
    const bodies = await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, ticket.id));
    expect(bodies.find((e) => e.type === 'page_acknowledged')?.body).toBe('Acknowledged the page; desk stays the assignee.');
  });

  it('names whom each step reached, by level and round, and who acknowledged', async () => {
    const ticket = await incident('Core router memory leak');
    clock.advance(5 * MIN);
    await sweep(); // level 2: cat
    const [{ page }] = await listTicketPages(database.db, desk, ticket.id);
    await acknowledgePage(deps, cat, page.id);
    const [view] = await listTicketPages(database.db, desk, ticket.id);
    const onCall = view.recipients.find((r) => r.level === 0)?.name;
    expect(['ann', 'bob']).toContain(onCall);
    expect(view.steps).toEqual([
      { level: 0, round: 0, people: [{ userId: expect.any(String), name: onCall }] },
      { level: 1, round: 0, people: [{ userId: cat.id, name: 'cat' }] },
    ]);
    expect(view).toMatchObject({ policyName: 'Network critical', acknowledgedByName: 'cat', triggeredByName: null });
  });
});

describe.runIf(testEngine() === 'postgres')('two workers on one PostgreSQL', () => {
  it('fire each page level timer exactly once', async () => {
    const url = (database.raw.kind === 'postgres' && (database.raw.pool.options as { connectionString: string }).connectionString) || '';
    const workers = await Promise.all([1, 2].map(() => openPostgres(url, 4)));
    const tickets = [];
    for (let i = 0; i < 12; i++) tickets.push(await incident(`Outage ${i}`));
    // 4 steps per page (2 levels × 2 rounds); step the clock through every timeout with both workers sweeping at once.
    for (const minutes of [5, 10, 5, 10]) {
      clock.advance(minutes * MIN);
      // Small batches, so both workers take a share of the same due timers.
      for (let i = 0; i < 12; i++) await Promise.all(workers.map((w) => sweep(w.db, 3)));
    }
    for (const ticket of tickets) {
      const notified = (await pageEvents(ticket.id)).filter((e) => e.type === 'page_notified');
      const steps = notified.map((e) => `${e.data?.round}:${e.data?.level}`);
      expect(steps).toEqual(['0:0', '0:1', '1:0', '1:1']);
      const [page] = await database.db
        .select()
        .from(pages)
        .where(and(eq(pages.ticketId, ticket.id)));
      expect(page.state).toBe('exhausted');
    }
    await Promise.all(workers.map((w) => w.close()));
  });
});
