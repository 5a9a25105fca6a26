import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessTimeBetween, weekdayCalendar } from '../../../core/business-calendar.js';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { tickets } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { rateTicket } from './satisfaction.service.js';
import { createCalendar, createSlaPolicy, updateSlaPolicyById } from './sla.service.js';
import { addComment } from './ticket-conversation.service.js';
import { searchTickets } from './ticket-query.service.js';
import { transitionTicket } from './ticket-work.service.js';

/**
 * The KPI facts on the ticket row (issue 16): business hours to first response and to resolution,
 * and the SLA breach flag, kept by the one ticket-change pipeline as work happens — so the reports
 * aggregate them in SQL (kpis.db.test.ts holds those aggregates equal to core's definitions).
 */
let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let rita: { id: string; role: 'requester' };
let calendarId: string;
const office = weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }]);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-06T15:00:00Z'); // Friday 16:00 in Berlin
  deps = { db: database.db, clock };
  agent = await createTestPerson(deps, 'agent', { email: 'agent@facts.test', name: 'Agent' });
  rita = await createTestPerson(deps, 'requester', { email: 'rita@facts.test', name: 'Rita' });
  calendarId = (await createCalendar(deps, { name: 'Berlin office', ...office })).id;
  await createSlaPolicy(deps, {
    name: 'P1 in office hours',
    match: { priorities: [1] },
    calendarId,
    firstResponseMinutes: 30,
    resolutionMinutes: 8 * 60,
  });
});
afterAll(() => database.close());

const sweep = () => runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const factsOf = async (id: string) => {
  const t = await findTicketById(database.db, id);
  return { ack: t?.businessAcknowledgeMs, resolve: t?.businessResolveMs, breached: t?.slaBreached, version: t?.version };
};

describe('the KPI facts a ticket keeps', () => {
  it('count business hours in the policy’s calendar when the desk first answers and when it resolves', async () => {
    const opened = clock.now();
    const ticket = await reportTestTicket(deps, rita, 'Payroll export fails', { impact: 1, urgency: 1 });
    expect(await factsOf(ticket.id)).toMatchObject({ ack: null, resolve: null, breached: false });
    clock.set('2026-03-09T08:30:00Z'); // Monday 09:30: the weekend is not business time
    await addComment(deps, agent, ticket.id, { body: 'Looking at it', visibility: 'public' });
    expect((await factsOf(ticket.id)).ack).toBe(HOUR + 30 * MINUTE);
    clock.set('2026-03-09T12:00:00Z');
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    await transitionTicket(deps, agent, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed' });
    const expected = businessTimeBetween(office, opened, clock.now());
    expect(expected).toBe(5 * HOUR);
    expect((await factsOf(ticket.id)).resolve).toBe(expected);
    // Reopened and resolved again: the duration follows the new resolution time.
    clock.set('2026-03-09T14:00:00Z');
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress', reason: 'Still failing' });
    await transitionTicket(deps, agent, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Now fixed' });
    expect((await factsOf(ticket.id)).resolve).toBe(7 * HOUR);
  });

  it('count round the clock for a ticket under no policy', async () => {
    const ticket = await reportTestTicket(deps, agent, 'Printer low on toner');
    clock.advance(26 * HOUR);
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    await transitionTicket(deps, agent, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced' });
    expect((await factsOf(ticket.id)).resolve).toBe(26 * HOUR);
  });

  it('flag the breach when the SLA timer records it, without a new version of the ticket', async () => {
    clock.set('2026-03-10T08:00:00Z'); // Tuesday 09:00 in Berlin
    const ticket = await reportTestTicket(deps, agent, 'VPN down', { impact: 1, urgency: 1 });
    const before = await factsOf(ticket.id);
    clock.advance(31 * MINUTE);
    await sweep();
    expect(await factsOf(ticket.id)).toMatchObject({ breached: true, version: before.version });
  });

  it('recount business hours in the calendar of a new policy when the SLA configuration moves a ticket to it', async () => {
    clock.set('2026-03-11T08:00:00Z'); // Wednesday 09:00 in Berlin
    const ticket = await reportTestTicket(deps, rita, 'Laptop slow', { impact: 2, urgency: 2 });
    clock.set('2026-03-11T20:00:00Z'); // 21:00, after hours
    await addComment(deps, agent, ticket.id, { body: 'Please restart it', visibility: 'public' });
    expect((await factsOf(ticket.id)).ack).toBe(12 * HOUR);
    const everything = await createSlaPolicy(deps, { name: 'Everything', calendarId, resolutionMinutes: 24 * 60 });
    expect((await findTicketById(database.db, ticket.id))?.slaPolicyId).toBe(everything.id);
    expect((await factsOf(ticket.id)).ack).toBe(8 * HOUR);
    await updateSlaPolicyById(deps, everything.id, { active: false });
    expect((await factsOf(ticket.id)).ack).toBe(12 * HOUR);
  });
});

describe('the queue filters the SLA and satisfaction tiles drill down to', () => {
  it('list the breached tickets, the met ones (under a policy, none breached), and the rated ones in a period', async () => {
    const manager = { id: agent.id, role: 'manager' as const };
    const titles = async (q: Partial<Parameters<typeof searchTickets>[2]>) =>
      (await searchTickets(database.db, manager, { sort: '-openedAt', limit: 50, ...q })).items.map((r) => r.ticket.title).sort();
    clock.set('2026-03-12T08:00:00Z'); // Thursday 09:00 in Berlin
    const mail = await reportTestTicket(deps, rita, 'Mail queue stuck', { impact: 1, urgency: 1 });
    clock.advance(5 * MINUTE);
    await addComment(deps, agent, mail.id, { body: 'On it', visibility: 'public' });
    await transitionTicket(deps, agent, mail.id, { to: 'in_progress' });
    await transitionTicket(deps, agent, mail.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Flushed' });
    await sweep();
    // Payroll's first response came on Monday, long after its 30 business minutes.
    expect(await titles({ slaBreached: 'true' })).toEqual(['Payroll export fails', 'VPN down']);
    expect(await titles({ slaBreached: 'false' })).toEqual(['Mail queue stuck']);
    const [payroll] = (await searchTickets(database.db, manager, { q: 'Payroll', sort: '-openedAt', limit: 1 })).items;
    clock.set('2026-03-12T10:00:00Z');
    await transitionTicket(deps, agent, payroll.ticket.id, { to: 'closed' });
    await rateTicket(deps, rita, payroll.ticket.id, { rating: 2, comment: 'Took days' });
    expect(await titles({ rated: 'true' })).toEqual(['Payroll export fails']);
    expect(await titles({ rated: 'true', ratedFrom: '2026-03-12T00:00:00Z', ratedBefore: '2026-03-13T00:00:00Z' })).toEqual([
      'Payroll export fails',
    ]);
    expect(await titles({ rated: 'true', ratedFrom: '2026-03-13T00:00:00Z' })).toEqual([]);
    expect(await titles({ rated: 'false' })).toEqual(['Laptop slow', 'Mail queue stuck', 'Printer low on toner', 'VPN down']);
  });
});

describe('migration 0051', () => {
  it('backfills the facts from timelines and calendars to what the pipeline kept', async () => {
    const kept = async () =>
      new Map(
        (
          await database.db
            .select({ id: tickets.id, a: tickets.businessAcknowledgeMs, r: tickets.businessResolveMs, b: tickets.slaBreached })
            .from(tickets)
        ).map((t) => [t.id, [t.a, t.r, t.b]]),
      );
    const before = await kept();
    expect([...before.values()].some(([, r]) => r !== null)).toBe(true);
    await database.db.update(tickets).set({ businessAcknowledgeMs: null, businessResolveMs: null, slaBreached: false });
    const migration = fs.readFileSync(new URL('../db/migrations/0051_reports_precomputed_and_saved.sql', import.meta.url), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint').filter((s) => s.includes('UPDATE "tickets"'))) {
      await database.db.execute(sql.raw(statement));
    }
    expect(await kept()).toEqual(before);
  });
});
