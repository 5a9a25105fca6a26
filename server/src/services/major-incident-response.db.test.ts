import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../core/errors.js';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, makeTestMajorIncident, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { OutgoingMail } from '../adapters/mailer.js';
import type { Database } from '../db/client.js';
import { notifications } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findIncidentRoleByKey } from '../repositories/major-incidents.repository.js';
import { listPagesOfTicket } from '../repositories/on-call.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createEscalationPolicy } from './escalation-policies.service.js';
import { scheduleMeeting, updateMeeting } from './incident-meetings.service.js';
import { assignRole, listRoleHolders } from './incident-roles.service.js';
import { addTask, updateTask } from './incident-tasks.service.js';
import { acknowledgePage } from './page-acknowledgement.service.js';
import { viewPages } from './page-views.service.js';
import { createTeam } from './teams.service.js';

/**
 * A major incident's response against a real engine (PGlite, and PostgreSQL with DATABASE_URL):
 * two people taking the same single-holder role at the same moment, the overdue timer of a task
 * on a fake clock, and a meeting invitation mailed with its iCalendar part.
 */

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
const sent: OutgoingMail[] = [];
const channels = {
  mail: {
    mailer: { send: async (mail: OutgoingMail) => void sent.push(mail) },
    webhooks: { post: async () => {} },
    messageIdDomain: 'firebreak.test',
    publicUrl: 'http://firebreak.test',
  },
};
const sweep = () => runDueJobs(deps, buildJobRegistry(channels), WORKER_OPTIONS);

let lead: Awaited<ReturnType<typeof createTestPerson<'manager'>>>;
let ana: Awaited<ReturnType<typeof createTestPerson<'agent'>>>;
let ben: Awaited<ReturnType<typeof createTestPerson<'agent'>>>;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T09:00:00Z');
  deps = { db: database.db, clock };
  lead = await createTestPerson(deps, 'manager', { email: 'lead@response.test', name: 'Lena Lead' });
  ana = await createTestPerson(deps, 'agent', { email: 'ana@response.test', name: 'Ana Ortiz' });
  ben = await createTestPerson(deps, 'agent', { email: 'ben@response.test', name: 'Ben Brandt' });
});
afterAll(() => database.close());

async function majorIncident(title: string) {
  const ticket = await reportTestTicket(deps, lead, title, { impact: 2, urgency: 2, scope: 'global' });
  await makeTestMajorIncident(deps, ticket.id);
  return ticket;
}

const reasonsOf = async (userId: string, ticketId: string) =>
  (
    await deps.db
      .select({ reason: notifications.reason, channel: notifications.channel })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.ticketId, ticketId)))
  ).map((n) => `${n.reason}/${n.channel}`);

describe('response roles on a real engine', () => {
  it('lets one of two people taking the same single-holder role at once win; the other gets 409 naming the holder', async () => {
    const ticket = await majorIncident('VPN concentrator down');
    const manager = await findIncidentRoleByKey(deps.db, 'incident_manager');
    if (!manager) throw new Error('the migration seeds the incident manager role');
    const outcomes = await Promise.allSettled([
      assignRole(deps, ana, ticket.id, { roleId: manager.id, userId: ana.id }),
      assignRole(deps, ben, ticket.id, { roleId: manager.id, userId: ben.id }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0].reason as AppError;
    expect(error.status).toBe(409);
    const holders = await listRoleHolders(deps, lead, ticket.id);
    expect(holders).toHaveLength(1);
    const holderName = holders[0].holderName;
    expect(error.message).toContain(holderName);
    expect(error.message).toContain('Incident manager');
    // One role_assigned on the timeline, none for the loser (nothing of the refused write stays).
    const events = await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 500 });
    expect(events.filter((e) => e.type === 'role_assigned')).toHaveLength(1);
  });

  it('notifies the new holder through the pipeline, and pages them when the role pages: a real page that escalates', async () => {
    // The ticket's team has an escalation policy: Ben first, for 10 minutes.
    const team = await createTeam(deps, { name: 'Payroll operations', memberIds: [ana.id, ben.id] });
    await createEscalationPolicy(deps, {
      name: 'Payroll on call',
      levels: [{ targets: [{ type: 'user', id: ben.id }], timeoutMinutes: 10 }],
      teamIds: [team.id],
    });
    const ticket = await reportTestTicket(deps, lead, 'Payroll unreachable', { impact: 2, urgency: 2, teamId: team.id });
    await makeTestMajorIncident(deps, ticket.id);
    const manager = await findIncidentRoleByKey(deps.db, 'incident_manager');
    const scribe = await findIncidentRoleByKey(deps.db, 'scribe');
    if (!manager || !scribe) throw new Error('the migration seeds the roles');
    await assignRole(deps, lead, ticket.id, { roleId: manager.id, userId: ana.id });
    await assignRole(deps, lead, ticket.id, { roleId: scribe.id, userId: ben.id });
    // Ana is paged (the page's own notice, with its acknowledge link), not told twice.
    expect((await reasonsOf(ana.id, ticket.id)).sort()).toEqual(['paged/email', 'paged/in_app']);
    expect((await reasonsOf(ben.id, ticket.id)).sort()).toEqual(['role_assigned_to_you/email', 'role_assigned_to_you/in_app']);
    const [page] = await listPagesOfTicket(deps.db, ticket.id);
    expect(page).toMatchObject({ personId: ana.id, state: 'triggered', level: 0, triggeredById: lead.id });
    expect(page.message).toContain('You are Incident manager on');

    // Unacknowledged after five minutes, it escalates through the team's policy: Ben is paged.
    clock.advance(5 * 60_000 + 1);
    await sweep();
    expect((await listPagesOfTicket(deps.db, ticket.id))[0]).toMatchObject({ level: 1, state: 'triggered' });
    expect(await reasonsOf(ben.id, ticket.id)).toContain('paged/in_app');
    // Ana, paged first, acknowledges: paging stops.
    const acked = await acknowledgePage(deps, ana, page.id);
    expect(acked.page).toMatchObject({ state: 'acknowledged', acknowledgedById: ana.id });
    const view = (await viewPages(deps.db, [acked.page]))[0];
    expect(view.steps.map((s) => s.people.map((p) => p.name))).toEqual([['Ana Ortiz'], ['Ben Brandt']]);
  });

  it('pages the holder alone when the incident has no escalation policy, and stops there', async () => {
    const ticket = await majorIncident('Badge readers down');
    const manager = await findIncidentRoleByKey(deps.db, 'incident_manager');
    if (!manager) throw new Error('the migration seeds the roles');
    await assignRole(deps, lead, ticket.id, { roleId: manager.id, userId: ben.id });
    const [page] = await listPagesOfTicket(deps.db, ticket.id);
    expect(page).toMatchObject({ personId: ben.id, policyId: null, state: 'triggered' });
    clock.advance(5 * 60_000 + 1);
    await sweep();
    expect((await listPagesOfTicket(deps.db, ticket.id))[0].state).toBe('exhausted');
  });
});

describe('tasks', () => {
  it('flags a task still not done at its due time to the incident manager, once; a done task is never flagged', async () => {
    const ticket = await majorIncident('Mail queue stuck');
    const manager = await findIncidentRoleByKey(deps.db, 'incident_manager');
    if (!manager) throw new Error('seeded');
    await assignRole(deps, lead, ticket.id, { roleId: manager.id, userId: ana.id });
    const due = new Date(clock.now().getTime() + 15 * 60_000).toISOString();
    const late = await addTask(deps, lead, ticket.id, { title: 'Restart the relay', ownerId: ben.id, dueAt: due });
    const done = await addTask(deps, lead, ticket.id, { title: 'Tell the vendor', ownerId: ben.id, dueAt: due });
    await updateTask(deps, ben, ticket.id, done.id, { done: true });

    clock.advance(14 * 60_000);
    await sweep();
    let overdue = (await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 500 })).filter(
      (e) => e.type === 'task_overdue',
    );
    expect(overdue).toHaveLength(0); // not due yet

    clock.advance(2 * 60_000);
    await sweep();
    await sweep();
    overdue = (await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 500 })).filter(
      (e) => e.type === 'task_overdue',
    );
    expect(overdue.map((e) => e.data?.taskId)).toEqual([late.id]);
    expect(await reasonsOf(ana.id, ticket.id)).toContain('task_overdue/in_app');
    expect(await reasonsOf(ben.id, ticket.id)).toContain('task_overdue/in_app');
  });
});

describe('meetings', () => {
  it('mails each attendee an iCalendar invitation (METHOD:REQUEST) with the bridge link', async () => {
    const ticket = await majorIncident('Storage array degraded');
    sent.length = 0;
    const startsAt = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
    await scheduleMeeting(deps, lead, ticket.id, {
      title: 'Resolution meeting',
      startsAt,
      durationMinutes: 30,
      link: 'https://meet.example.test/vpn-bridge',
      attendeeIds: [ana.id, ben.id],
      agenda: 'Decide on the failover',
    });
    await sweep();
    const invitations = sent.filter((m) => m.subject.includes('invited to an incident meeting'));
    expect(invitations.map((m) => m.to).sort()).toEqual(['ana@response.test', 'ben@response.test']);
    const ics = invitations[0].icalEvent?.content ?? '';
    expect(invitations[0].icalEvent?.method).toBe('REQUEST');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('meet.example.test/vpn-bridge');
    expect(ics).toContain(`DTSTART:${startsAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
  });
  it('sends everyone an updated invitation (same UID, higher SEQUENCE) when the meeting moves; a new attendee alone gets one when only added', async () => {
    const ticket = await majorIncident('Print servers unreachable');
    const startsAt = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
    const meeting = await scheduleMeeting(deps, lead, ticket.id, {
      title: 'Escalation meeting',
      startsAt,
      durationMinutes: 30,
      link: null,
      attendeeIds: [ana.id],
      agenda: '',
    });
    await sweep();
    sent.length = 0;
    await updateMeeting(deps, lead, ticket.id, meeting.id, { attendeeIds: [ana.id, ben.id] }, meeting.version);
    await sweep();
    expect(sent.filter((m) => m.icalEvent).map((m) => m.to)).toEqual(['ben@response.test']);
    sent.length = 0;
    const later = new Date(clock.now().getTime() + 2 * 60 * 60_000).toISOString();
    await updateMeeting(deps, lead, ticket.id, meeting.id, { startsAt: later });
    await sweep();
    const updates = sent.filter((m) => m.icalEvent);
    expect(updates.map((m) => m.to).sort()).toEqual(['ana@response.test', 'ben@response.test']);
    const ics = updates[0].icalEvent?.content ?? '';
    expect(ics).toContain(`UID:meeting-${meeting.id}@firebreak`);
    expect(ics).toContain('SEQUENCE:2');
  });

  it('refuses a meeting in the past with 422 naming the time, and nothing is written', async () => {
    const ticket = await majorIncident('Badge readers offline');
    const before = await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 500 });
    await expect(
      scheduleMeeting(deps, lead, ticket.id, {
        title: 'Too late',
        startsAt: new Date(clock.now().getTime() - 10 * 60_000).toISOString(),
        durationMinutes: 30,
        link: null,
        attendeeIds: [ana.id],
        agenda: '',
      }),
    ).rejects.toMatchObject({ status: 422, errors: [{ field: 'startsAt' }] });
    expect(await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 500 })).toEqual(before);
  });
});
