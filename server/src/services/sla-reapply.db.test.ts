import { and, eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { jobs } from '../db/schema/index.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { listTimelineEvents } from '../repositories/timeline.repository.js';
import { createSlaPolicy, getTicketSla, updateSlaPolicyById } from './sla.service.js';
import { transitionTicket } from './ticket-work.service.js';

/**
 * A policy made or changed today applies to the tickets already open, not only to the next
 * ones: their clocks are recomputed from their timelines.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let admin: { id: string; role: 'admin' };

beforeEach(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z');
  deps = { db: database.db, clock };
  agent = await createTestPerson(deps, 'agent', { email: 'agent@reapply.test', name: 'Agent' });
  admin = await createTestPerson(deps, 'admin', { email: 'admin@reapply.test', name: 'Admin' });
});
afterEach(() => database.close());

const report = (title: string) => reportTestTicket(deps, agent, title, { impact: 2, urgency: 2 });
const resolutionOf = async (ticketId: string) =>
  (await getTicketSla(database.db, agent, ticketId, clock.now())).find((s) => s.target === 'resolution');

describe('SLA policies applied to tickets already open', () => {
  it('gives an open ticket reported before any policy its clocks, says so on its timeline and sets its breach timer', async () => {
    const ticket = await report('Scanner at dock 4 offline');
    expect(ticket.slaPolicyId).toBeNull();
    clock.advance(HOUR);
    const policy = await createSlaPolicy(deps, { name: 'Round the clock', resolutionMinutes: 4 * 60, firstResponseMinutes: 30 }, admin);

    const after = await findTicketById(database.db, ticket.id);
    expect(after?.slaPolicyId).toBe(policy.id);
    expect(after?.version).toBe(ticket.version); // configuration, not an edit: nobody's form goes stale
    // Counted from when it was reported, not from when the policy was made.
    expect(await resolutionOf(ticket.id)).toMatchObject({ status: 'running', elapsedMs: HOUR, dueAt: new Date('2026-03-02T12:00:00Z') });
    // First response (30 min) is already past: the earliest due time is the breached one.
    expect(after?.slaDueAt?.toISOString()).toBe('2026-03-02T08:30:00.000Z');

    const timeline = await listTimelineEvents(database.db, { ticketId: ticket.id, includeInternal: true, limit: 10 });
    expect(timeline.at(-1)).toMatchObject({
      type: 'field_changed',
      internal: true,
      actorId: admin.id,
      changes: [{ field: 'slaPolicyId', from: null, to: policy.id }],
    });
    const timers = await database.db
      .select({ id: jobs.id, runAt: jobs.runAt })
      .from(jobs)
      .where(and(eq(jobs.kind, 'sla.check'), like(jobs.id, `%${ticket.id}%`)));
    // Only instants still ahead: the resolution warning (75 % of 4 h) and breach; not the past first-response ones.
    expect(timers.map((t) => t.runAt.toISOString()).sort()).toEqual(['2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z']);
  });

  it('leaves out the time the ticket spent on hold waiting for the requester', async () => {
    const ticket = await report('Cannot print delivery notes');
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    clock.advance(HOUR);
    await transitionTicket(deps, agent, ticket.id, { to: 'on_hold', onHoldReason: 'awaiting_requester', reason: 'Which printer?' });
    clock.advance(3 * HOUR);
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    clock.advance(HOUR);
    const held = await report('Label printer jams');
    await transitionTicket(deps, agent, held.id, { to: 'in_progress' });
    await transitionTicket(deps, agent, held.id, { to: 'on_hold', onHoldReason: 'awaiting_requester', reason: 'Photo of the jam?' });

    await createSlaPolicy(deps, { name: 'Round the clock', resolutionMinutes: 4 * 60 }, admin);

    // 2 h of work so far (1 before the hold, 1 after); 3 h on hold push the due time back by 3 h.
    expect(await resolutionOf(ticket.id)).toMatchObject({
      status: 'running',
      elapsedMs: 2 * HOUR,
      dueAt: new Date('2026-03-02T15:00:00Z'),
    });
    // Still on hold: paused, no due time, nothing for the queue to sort by.
    expect(await resolutionOf(held.id)).toMatchObject({ status: 'paused', dueAt: null });
    expect((await findTicketById(database.db, held.id))?.slaDueAt).toBeNull();
  });

  it('moves the due times of open tickets when a target changes, and leaves finished tickets alone', async () => {
    const policy = await createSlaPolicy(deps, { name: 'Round the clock', resolutionMinutes: 4 * 60 }, admin);
    const open = await report('Forklift terminal frozen');
    const done = await report('Wrong label size');
    await transitionTicket(deps, agent, done.id, { to: 'in_progress' });
    await transitionTicket(deps, agent, done.id, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Changed the template',
    });
    const doneBefore = await findTicketById(database.db, done.id);
    expect((await findTicketById(database.db, open.id))?.slaDueAt?.toISOString()).toBe('2026-03-02T12:00:00.000Z');

    clock.advance(30 * MINUTE);
    await updateSlaPolicyById(deps, policy.id, { resolutionMinutes: 2 * 60 }, admin);

    expect((await findTicketById(database.db, open.id))?.slaDueAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(await resolutionOf(open.id)).toMatchObject({ status: 'running', dueAt: new Date('2026-03-02T10:00:00Z') });
    expect(await findTicketById(database.db, done.id)).toEqual(doneBefore);
    const timers = await database.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(like(jobs.id, `%${open.id}%breach:2026-03-02T10:00%`));
    expect(timers).toHaveLength(1);
    // The policy did not change, so nothing new on the ticket's timeline.
    const timeline = await listTimelineEvents(database.db, { ticketId: open.id, includeInternal: true, limit: 10 });
    expect(timeline.map((e) => e.type)).toEqual(['created']);
  });

  it('moves tickets to a policy placed ahead of theirs, and back when it is switched off', async () => {
    const general = await createSlaPolicy(deps, { name: 'Everything', resolutionMinutes: 8 * 60 }, admin);
    const ticket = await report('Warehouse Wi-Fi drops');
    const urgent = await createSlaPolicy(
      deps,
      { name: 'Priority 3', position: 0, match: { priorities: [ticket.priority] }, resolutionMinutes: 60 },
      admin,
    );
    expect((await findTicketById(database.db, ticket.id))?.slaPolicyId).toBe(urgent.id);
    await updateSlaPolicyById(deps, urgent.id, { active: false }, admin);
    const after = await findTicketById(database.db, ticket.id);
    expect(after?.slaPolicyId).toBe(general.id);
    expect(after?.slaDueAt?.toISOString()).toBe('2026-03-02T16:00:00.000Z');
  });
});
