import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { OutgoingMail } from '../adapters/mailer.js';
import type { Database } from '../db/client.js';
import { notifications } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findIncidentRoleByKey } from '../repositories/major-incidents.repository.js';
import { findCadence } from '../repositories/stakeholder-updates.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { assignRole } from './incident-roles.service.js';
import { declareMajorIncident } from './major-incidents.service.js';
import { sendStakeholderUpdate } from './stakeholder-updates.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';
import { setUpdateCadenceSettings } from './update-cadence.service.js';

/**
 * The update cadence on a real engine and a fake clock: declaring a P1 major incident sets the
 * next update 30 minutes out; at the due time the communications manager is reminded (in-app and
 * e-mail, "P1 — next update due now"); after the grace the incident manager hears it is overdue;
 * an update sent moves the due time and the old timer stays quiet.
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
const MINUTE = 60_000;

let lead: Awaited<ReturnType<typeof createTestPerson<'manager'>>>;
let cora: Awaited<ReturnType<typeof createTestPerson<'agent'>>>;
let ivan: Awaited<ReturnType<typeof createTestPerson<'agent'>>>;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-12-01T09:07:00Z');
  deps = { db: database.db, clock };
  lead = await createTestPerson(deps, 'manager', { email: 'lead@cadence.test', name: 'Lena Lead' });
  cora = await createTestPerson(deps, 'agent', { email: 'cora@cadence.test', name: 'Cora Comms' });
  ivan = await createTestPerson(deps, 'agent', { email: 'ivan@cadence.test', name: 'Ivan Incident' });
});
afterAll(() => database.close());

async function declaredP1(title: string) {
  const ticket = await reportTestTicket(deps, lead, title, { impact: 1, urgency: 1 });
  await declareMajorIncident(deps, lead, ticket.id, 'VPN down for every office');
  for (const [key, person] of [
    ['communications_manager', cora],
    ['incident_manager', ivan],
  ] as const) {
    const role = await findIncidentRoleByKey(deps.db, key);
    if (!role) throw new Error(`the migration seeds the ${key} role`);
    await assignRole(deps, lead, ticket.id, { roleId: role.id, userId: person.id });
  }
  return ticket;
}

const eventsOf = async (ticketId: string, type: string) =>
  (await listTimelineEvents(deps.db, { ticketId, includeInternal: true, limit: 500 })).filter((e) => e.type === type);

const notesTo = async (userId: string, ticketId: string) =>
  deps.db
    .select({ reason: notifications.reason, channel: notifications.channel, bodyText: notifications.bodyText })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.ticketId, ticketId)));

describe('the update cadence of a major incident', () => {
  it('reminds the communications manager when the update is due and tells the incident manager once it is overdue', async () => {
    const ticket = await declaredP1('VPN down for everyone');
    expect((await findCadence(deps.db, ticket.id))?.nextDueAt).toEqual(new Date('2026-12-01T09:37:00Z'));

    clock.advance(29 * MINUTE); // 09:36: not yet
    await sweep();
    expect(await eventsOf(ticket.id, 'update_due')).toHaveLength(0);

    clock.advance(MINUTE); // 09:37
    await sweep();
    const due = await eventsOf(ticket.id, 'update_due');
    expect(due.map((e) => e.body)).toEqual(['P1 — next update due now']);
    const toCora = await notesTo(cora.id, ticket.id);
    expect(
      toCora
        .filter((n) => n.reason === 'update_due')
        .map((n) => n.channel)
        .sort(),
    ).toEqual(['email', 'in_app']);
    expect(toCora.find((n) => n.reason === 'update_due' && n.channel === 'in_app')?.bodyText).toBe('P1 — next update due now');
    expect((await notesTo(ivan.id, ticket.id)).some((n) => n.reason === 'update_overdue')).toBe(false);

    clock.advance(7 * MINUTE); // 09:44: inside the 8-minute grace
    await sweep();
    expect(await eventsOf(ticket.id, 'update_overdue')).toHaveLength(0);

    clock.advance(MINUTE); // 09:45
    await sweep();
    await sweep(); // a second sweep finds nothing more to say
    expect((await eventsOf(ticket.id, 'update_overdue')).map((e) => e.data?.incidentManagerId)).toEqual([ivan.id]);
    expect((await notesTo(ivan.id, ticket.id)).filter((n) => n.reason === 'update_overdue').length).toBeGreaterThan(0);
    expect(await eventsOf(ticket.id, 'update_due')).toHaveLength(1);
  });

  it('counts again from an update sent: the timer set for the old due time says nothing', async () => {
    clock.set(new Date('2026-12-02T09:00:00Z'));
    const ticket = await declaredP1('Mail delayed for everyone');
    clock.advance(10 * MINUTE);
    await sendStakeholderUpdate(deps, cora, ticket.id, {
      stage: 'investigating',
      text: 'We are on it. Next update by {next_update_at}.',
      audienceIds: ['public'],
    });
    const cadence = await findCadence(deps.db, ticket.id);
    expect(cadence?.lastUpdateAt).toEqual(new Date('2026-12-02T09:10:00Z'));
    expect(cadence?.nextDueAt).toEqual(new Date('2026-12-02T09:40:00Z'));

    clock.set(new Date('2026-12-02T09:35:00Z')); // past the first due time (09:30), before the new one
    await sweep();
    expect(await eventsOf(ticket.id, 'update_due')).toHaveLength(0);
    clock.set(new Date('2026-12-02T09:40:00Z'));
    await sweep();
    expect(await eventsOf(ticket.id, 'update_due')).toHaveLength(1);
  });

  it('follows the priority: lowered to P3 there is no cadence; raised again it counts from the raise, at the interval the admin set', async () => {
    clock.set(new Date('2026-12-03T09:00:00Z'));
    const ticket = await declaredP1('Payroll slow');
    await updateTicket(deps, lead, ticket.id, { impact: 3, urgency: 3 });
    expect((await findCadence(deps.db, ticket.id))?.nextDueAt).toBeNull();

    await setUpdateCadenceSettings(deps, lead, { intervals: { 1: 15, 2: 60 }, graceMinutes: 5 });
    clock.advance(5 * MINUTE);
    await updateTicket(deps, lead, ticket.id, { impact: 1, urgency: 1 });
    expect((await findCadence(deps.db, ticket.id))?.nextDueAt).toEqual(new Date('2026-12-03T09:20:00Z'));
    await setUpdateCadenceSettings(deps, lead, { intervals: { 1: 30, 2: 60 }, graceMinutes: 8 });
  });

  it('stops when the incident is resolved', async () => {
    clock.set(new Date('2026-12-04T09:00:00Z'));
    const ticket = await declaredP1('Printer fleet offline');
    await sendStakeholderUpdate(deps, cora, ticket.id, { stage: 'resolved', text: '{service} works again.', audienceIds: ['public'] });
    await updateTicket(deps, lead, ticket.id, { assigneeId: lead.id });
    await transitionTicket(deps, lead, ticket.id, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Restarted the print server.',
    });
    expect((await findCadence(deps.db, ticket.id))?.nextDueAt).toBeNull();
    clock.advance(40 * MINUTE);
    await sweep();
    expect(await eventsOf(ticket.id, 'update_due')).toHaveLength(0);
  });
});
