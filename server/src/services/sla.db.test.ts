import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekdayCalendar } from '../../../core/business-calendar.js';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { notifications } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createUser } from './directory.service.js';
import { createCalendar, createSlaPolicy, getTicketSla } from './sla.service.js';
import { createTeam } from './teams.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let p1PolicyId: string;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z'); // Monday 09:00 in Berlin
  deps = { db: database.db, clock };
  const user = await createUser(deps, { email: 'agent@sla.test', name: 'Agent', role: 'agent', timeZone: 'Europe/Berlin' });
  agent = { id: user.id, role: 'agent' };
  const berlin = await createCalendar(deps, {
    name: 'Berlin office',
    ...weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }]),
  });
  const p1 = await createSlaPolicy(deps, {
    name: 'P1 incidents',
    match: { priorities: [1], kinds: ['incident'] },
    calendarId: berlin.id,
    firstResponseMinutes: 15,
    resolutionMinutes: 4 * 60,
  });
  p1PolicyId = p1.id;
  await createSlaPolicy(deps, { name: 'Everything else', calendarId: berlin.id, resolutionMinutes: 3 * 8 * 60 });
});
afterAll(() => database.close());

const sweep = () => runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const report = async (title: string, impact: 1 | 2 | 3, urgency: 1 | 2 | 3) => ({
  ticket: await reportTestTicket(deps, agent, title, { impact, urgency, scope: 'global' }),
});
const events = async (ticketId: string) =>
  (await listTimelineEvents(database.db, { ticketId, includeInternal: true, limit: 100 })).map((e) => e.type);

describe('SLA policies on tickets', () => {
  it("applies the first matching policy and shows each target's clock", async () => {
    const { ticket } = await report('Payroll down for everyone', 1, 1);
    expect(ticket.slaPolicyId).toBe(p1PolicyId);
    clock.advance(5 * MINUTE);
    const sla = await getTicketSla(database.db, agent, ticket.id, clock.now());
    expect(sla.map((s) => [s.target, s.status, s.elapsedMs, s.dueAt?.toISOString()])).toEqual([
      ['first_response', 'running', 5 * MINUTE, '2026-03-02T08:15:00.000Z'],
      ['resolution', 'running', 5 * MINUTE, '2026-03-02T12:00:00.000Z'],
    ]);
  });

  it('records a warning at 75% and a breach at 100% on the timeline, once, from durable timers', async () => {
    clock.set('2026-03-02T09:00:00Z');
    const { ticket } = await report('VPN down for all sites', 1, 1);
    clock.advance(11 * MINUTE + 15_000); // 75% of 15 minutes is 11.25 minutes
    await sweep();
    expect(await events(ticket.id)).toEqual(['created', 'sla_warning']);
    clock.advance(4 * MINUTE);
    await sweep();
    await sweep();
    expect(await events(ticket.id)).toEqual(['created', 'sla_warning', 'sla_breached']);
    const sla = await getTicketSla(database.db, agent, ticket.id, clock.now());
    expect(sla.find((s) => s.target === 'first_response')?.status).toBe('breached');
  });

  it('pauses while awaiting the requester and moves the deadline by the time on hold', async () => {
    clock.set('2026-03-03T08:00:00Z'); // Tuesday 09:00 Berlin
    const { ticket } = await report('Invoices fail to print', 1, 1);
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' }); // first response
    clock.advance(HOUR);
    await transitionTicket(deps, agent, ticket.id, { to: 'on_hold', onHoldReason: 'awaiting_requester' });
    clock.advance(2 * HOUR);
    const paused = (await getTicketSla(database.db, agent, ticket.id, clock.now())).find((s) => s.target === 'resolution');
    expect(paused).toMatchObject({ status: 'paused', elapsedMs: HOUR, dueAt: null });
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    const resumed = (await getTicketSla(database.db, agent, ticket.id, clock.now())).find((s) => s.target === 'resolution');
    expect(resumed?.dueAt?.toISOString()).toBe('2026-03-03T14:00:00.000Z'); // 4 h target + 2 h on hold
    // The timer set before the hold finds nothing due; the new one breaches on time.
    clock.set('2026-03-03T12:00:00Z');
    await sweep();
    expect(await events(ticket.id)).not.toContain('sla_breached');
    await transitionTicket(deps, agent, ticket.id, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Driver fixed',
    });
    const met = (await getTicketSla(database.db, agent, ticket.id, clock.now())).find((s) => s.target === 'resolution');
    expect(met?.status).toBe('met');
    clock.set('2026-03-03T15:00:00Z');
    await sweep();
    expect(await events(ticket.id)).not.toContain('sla_breached');
  });

  it('switches policy when the priority changes, and says so on the timeline', async () => {
    clock.set('2026-03-04T08:00:00Z');
    const { ticket } = await report('Slow wiki', 3, 3);
    expect(ticket.slaPolicyId).not.toBe(p1PolicyId);
    const raised = await updateTicket(deps, agent, ticket.id, { impact: 1, urgency: 1 });
    expect(raised.slaPolicyId).toBe(p1PolicyId);
    const change = (await listTimelineEvents(database.db, { ticketId: ticket.id, includeInternal: true, limit: 10 })).find(
      (e) => e.type === 'field_changed',
    );
    expect(change?.changes).toContainEqual({ field: 'slaPolicyId', from: ticket.slaPolicyId, to: p1PolicyId });
    const sla = await getTicketSla(database.db, agent, ticket.id, clock.now());
    expect(sla.find((s) => s.target === 'first_response')?.dueAt?.toISOString()).toBe('2026-03-04T08:15:00.000Z');
  });

  it('escalates to the next-tier team on a breach when the policy says so, as Firebreak, once', async () => {
    clock.set('2026-03-05T08:00:00Z'); // Thursday 09:00 Berlin
    const tier2 = await createTeam(deps, { name: 'Tier 2' });
    const calendarless = await createSlaPolicy(deps, {
      name: 'Payroll service',
      position: 0,
      match: { priorities: [2] },
      resolutionMinutes: 60,
      breachEscalateToTeamId: tier2.id,
    });
    const { ticket } = await report('Payslips missing', 1, 2);
    expect(ticket.slaPolicyId).toBe(calendarless.id);
    clock.advance(46 * MINUTE); // past 75%
    await sweep();
    clock.advance(15 * MINUTE); // past 100%
    await sweep();
    await sweep();
    // A global incident is a major one and also keeps an update cadence (its reminders are on the
    // same timeline): the SLA's own events are what this test is about.
    const slaTypes = new Set(['created', 'sla_warning', 'sla_breached', 'escalated']);
    const timeline = (await listTimelineEvents(database.db, { ticketId: ticket.id, includeInternal: true, limit: 50 })).filter((e) =>
      slaTypes.has(e.type),
    );
    expect(timeline.map((e) => e.type)).toEqual(['created', 'sla_warning', 'sla_breached', 'escalated']);
    const escalation = timeline[3];
    expect(escalation).toMatchObject({ actorId: null, data: { kind: 'functional', toTeamId: tier2.id, automatic: true } });
    expect(escalation.body).toContain('Automatic: Resolution target (60 min, Payroll service) was breached');
  });

  it('on a breach also escalates hierarchically to a named person, and warns the whole team of an unowned ticket', async () => {
    clock.set('2026-03-06T08:00:00Z'); // Friday 09:00 Berlin
    const member = await createUser(deps, { email: 'member@sla.test', name: 'Member', role: 'agent', timeZone: 'UTC' });
    const boss = await createUser(deps, { email: 'boss@sla.test', name: 'Boss', role: 'manager', timeZone: 'UTC' });
    const dutyManager = await createUser(deps, { email: 'duty@sla.test', name: 'Duty', role: 'manager', timeZone: 'UTC' });
    const tier1 = await createTeam(deps, { name: 'Tier 1', managerId: boss.id, memberIds: [member.id] });
    const tier3 = await createTeam(deps, { name: 'Tier 3' });
    await createSlaPolicy(deps, {
      name: 'Logistics service',
      position: 0,
      match: { priorities: [3] },
      resolutionMinutes: 60,
      breachEscalateToTeamId: tier3.id,
      breachEscalateToUserId: dutyManager.id,
    });
    const { ticket } = await reportTicket(
      deps,
      agent,
      { kind: 'incident', title: 'Scanner app crashes', description: '', impact: 2, urgency: 2, scope: 'local', teamId: tier1.id },
      { defaultChannel: 'api' },
    );
    clock.advance(46 * MINUTE);
    await sweep();
    const warned = await database.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    expect(new Set(warned.filter((n) => n.reason === 'sla_warning').map((n) => n.userId))).toEqual(new Set([boss.id, member.id]));
    clock.advance(15 * MINUTE);
    await sweep();
    const timeline = await listTimelineEvents(database.db, { ticketId: ticket.id, includeInternal: true, limit: 50 });
    expect(timeline.map((e) => e.type)).toEqual(['created', 'sla_warning', 'sla_breached', 'escalated', 'escalated']);
    expect(timeline[3].data).toMatchObject({ kind: 'functional', toTeamId: tier3.id, level: 1 });
    expect(timeline[4].data).toMatchObject({ kind: 'hierarchical', toUserId: dutyManager.id, level: 2, automatic: true });
    const told = await database.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    expect(told.some((n) => n.userId === dutyManager.id && n.reason === 'escalated_to_you' && n.channel === 'email')).toBe(true);
  });
});
