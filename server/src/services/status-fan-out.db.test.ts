import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { FakeClock } from '../adapters/clock.js';
import type { OutgoingMail } from '../adapters/mailer.js';
import type { Database } from '../db/client.js';
import { jobs, statusAnnouncements, statusDeliveries, statusSubscribers } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { createService } from './catalog.service.js';
import { createUser } from './directory.service.js';
import { fanOutAnnouncement } from './status-fan-out.service.js';
import { setStatusPageSettings } from './status-page.service.js';
import { applyTicketChange } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket } from './ticket-work.service.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

/**
 * The fan-out's promises (issue 15 #3): any writer that posts a public comment through the
 * pipeline reaches subscribers (no hand-wired call), and running the fan-out or a delivery
 * again never makes a second delivery or a second mail.
 */
let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let ticketId: string;
const sent: OutgoingMail[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-05-04T08:00:00Z');
  deps = { db: database.db, clock };
  agent = { id: (await createUser(deps, { email: 'agent@fanout.test', name: 'Agent', role: 'agent', timeZone: 'UTC' })).id, role: 'agent' };
  const vpn = await createService(deps, { name: 'VPN', onStatusPage: true });
  const printing = await createService(deps, { name: 'Printing', onStatusPage: true });
  const now = clock.now();
  const row = (address: string, componentIds: string[], confirmed = true) => ({
    channel: 'email' as const,
    address,
    componentIds,
    confirmedAt: confirmed ? now : null,
    createdAt: now,
    updatedAt: now,
  });
  await database.db
    .insert(statusSubscribers)
    .values([
      row('all@fanout.test', []),
      row('vpn@fanout.test', [vpn.id]),
      row('both@fanout.test', [vpn.id, printing.id]),
      row('printing@fanout.test', [printing.id]),
      row('unconfirmed@fanout.test', [], false),
    ]);
  const { ticket } = await reportTicket(
    deps,
    agent,
    { kind: 'incident', title: 'VPN down', description: '', impact: 1, urgency: 2, scope: 'global', serviceId: vpn.id },
    { defaultChannel: 'api' },
  );
  ticketId = ticket.id;
});
afterAll(() => database.close());

const fanOutJobs = (ofTicket = ticketId) =>
  database.db
    .select({ id: jobs.id, payload: jobs.payload, runAt: jobs.runAt, state: jobs.state })
    .from(jobs)
    .where(and(eq(jobs.kind, 'status.fan_out'), sql`${jobs.payload}->>'ticketId' = ${ofTicket}`));
const registry = buildJobRegistry({
  mail: {
    ...NO_DELIVERY.mail,
    mailer: {
      send: async (m: OutgoingMail) => {
        sent.push(m);
      },
    },
  },
});
/** The worker, run until nothing is due (a fresh runner each time, as after a restart: the timers are rows). */
async function runAllDueJobs(): Promise<void> {
  for (let i = 0; i < 10; i += 1) if ((await runDueJobs(deps, registry, WORKER_OPTIONS)).claimed === 0) break;
}
/** Who received mail with this subject, sorted. */
const to = (subject: RegExp) =>
  sent
    .filter((m) => subject.test(m.subject))
    .map((m) => m.to)
    .sort();
const deliveryCount = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(statusDeliveries))[0].n;
const deliverJobCount = async () =>
  (await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(like(jobs.id, 'status.deliver:%')))[0].n;

describe('status page news from the ticket-change pipeline', () => {
  it('a writer calling the pipeline with a public comment (as an update composer would) schedules the fan-out', async () => {
    // The incident's start was announced when it was reported, for 5 minutes later (the automatic first notice's wait).
    const [started] = await fanOutJobs();
    expect(started.payload.what).toBe('started');
    expect(started.runAt.toISOString()).toBe('2026-05-04T08:05:00.000Z');
    const { events } = await deps.db.transaction(async (tx) => {
      const before = await lockTicketForWrite(tx, agent, ticketId);
      return applyTicketChange(tx, {
        actor: agent,
        at: clock.now(),
        before,
        patch: {},
        events: [
          { type: 'work_note', body: 'internal only', internal: true },
          { type: 'comment', body: 'Investigating: <b>gateway</b> restart' },
        ],
      });
    });
    const scheduled = await fanOutJobs();
    expect(scheduled.map((j) => j.payload.what).sort()).toEqual(['started', 'update']);
    expect(scheduled.find((j) => j.payload.what === 'update')?.id).toBe(`status.fan_out:${events[1].id}:update`);
  });

  it('each confirmed subscriber of the affected component gets one delivery, however often the fan-out runs', async () => {
    const update = (await fanOutJobs()).find((j) => j.payload.what === 'update')?.payload as { eventId: number };
    const news = { ticketId, eventId: update.eventId, what: 'update' as const };
    expect(await fanOutAnnouncement(deps, news)).toBe(3); // all, vpn, both — not printing, not unconfirmed
    expect(await fanOutAnnouncement(deps, news)).toBe(0);
    const [announcement] = await database.db.select().from(statusAnnouncements).where(eq(statusAnnouncements.kind, 'update'));
    expect(announcement.bodyText).toBe('Update: VPN down\n\nInvestigating: <b>gateway</b> restart\n\nAffects: VPN');
    expect(await deliveryCount()).toBe(3);
    expect(await deliverJobCount()).toBe(3);
  });

  it('sends the desk’s update once through the job queue, nothing to a subscriber who left meanwhile, and no automatic notice after it', async () => {
    await database.db.delete(statusSubscribers).where(eq(statusSubscribers.address, 'both@fanout.test'));
    await runAllDueJobs();
    expect(to(/Update: VPN down/)).toEqual(['all@fanout.test', 'vpn@fanout.test']);
    // The automatic "Investigating" notice waits 5 minutes; by then the desk has spoken: it says nothing.
    clock.advance(5 * 60_000);
    await runAllDueJobs();
    expect(await fanOutJobs()).toContainEqual(
      expect.objectContaining({ state: 'done', payload: expect.objectContaining({ what: 'started' }) }),
    );
    expect(to(/Investigating: VPN down/)).toEqual([]);
    const update = sent.find((m) => /Update/.test(m.subject)) as OutgoingMail;
    expect(update.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost\/status\/unsubscribe\?token=[^>]+>$/);
    expect(update.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(update.html).toContain('Investigating: &lt;b&gt;gateway&lt;/b&gt; restart');

    // A delivery job run again (a worker died before marking it done) sends nothing more.
    const count = sent.length;
    await database.db.update(jobs).set({ state: 'pending', runAt: clock.now() }).where(like(jobs.id, 'status.deliver:%'));
    await runAllDueJobs();
    expect(sent.length).toBe(count);
  });

  it('names an update from the composer by its stage ("Identified: …"), as the status page does', async () => {
    const { events } = await deps.db.transaction(async (tx) => {
      const before = await lockTicketForWrite(tx, agent, ticketId);
      return applyTicketChange(tx, {
        actor: agent,
        at: clock.now(),
        before,
        patch: {},
        events: [{ type: 'comment', body: 'The gateway certificate expired.', data: { stage: 'identified' } }],
      });
    });
    await fanOutAnnouncement(deps, { ticketId, eventId: events[0].id, what: 'update' });
    const [announcement] = await database.db
      .select()
      .from(statusAnnouncements)
      .where(eq(statusAnnouncements.key, `${events[0].id}:update`));
    expect(announcement.subject).toMatch(/\] Identified: VPN down$/);
    expect(announcement.bodyText).toBe('Identified: VPN down\n\nThe gateway certificate expired.\n\nAffects: VPN');
  });
});

describe('the automatic first notice ("Investigating") waits for the desk', () => {
  let printing: string;
  beforeAll(async () => {
    printing = (await database.db.select().from(statusSubscribers).where(eq(statusSubscribers.address, 'printing@fanout.test')))[0]
      .componentIds[0];
  });
  const report = async (title: string) =>
    (
      await reportTicket(
        deps,
        agent,
        { kind: 'incident', title, description: '', impact: 1, urgency: 2, scope: 'global', serviceId: printing },
        { defaultChannel: 'api' },
      )
    ).ticket;

  it('goes out once, when its wait ends, if nobody on the desk has posted', async () => {
    const ticket = await report('Printers offline');
    clock.advance(5 * 60_000 - 1);
    await runAllDueJobs();
    expect(to(/Investigating: Printers offline/)).toEqual([]);
    clock.advance(1);
    await runAllDueJobs();
    expect(to(/Investigating: Printers offline/)).toEqual(['all@fanout.test', 'printing@fanout.test']);
    const [mail] = sent.filter((m) => /Investigating: Printers offline/.test(m.subject));
    expect(mail.text).toContain('We are aware of the problem and are investigating.');
    expect(await fanOutJobs(ticket.id)).toEqual([expect.objectContaining({ state: 'done' })]);
  });

  it('says nothing when the incident is resolved within the wait: subscribers hear of the resolution only', async () => {
    const ticket = await report('Toner alarm on every printer');
    clock.advance(2 * 60_000);
    await transitionTicket(deps, agent, ticket.id, { to: 'resolved', resolutionCode: 'solved_workaround', resolutionNotes: 'False alarm' });
    clock.advance(3 * 60_000);
    await runAllDueJobs();
    expect(to(/Investigating: Toner alarm/)).toEqual([]);
    expect(to(/Resolved: Toner alarm/)).toEqual(['all@fanout.test', 'printing@fanout.test']);
  });

  it('waits as long as an admin set (0: at once)', async () => {
    await setStatusPageSettings(deps, { id: agent.id, role: 'admin' }, { name: 'Status', firstNoticeDelayMinutes: 0 });
    const atOnce = await report('Scanner down');
    await runAllDueJobs();
    expect(to(/Investigating: Scanner down/)).toEqual(['all@fanout.test', 'printing@fanout.test']);
    await setStatusPageSettings(deps, { id: agent.id, role: 'admin' }, { name: 'Status', firstNoticeDelayMinutes: 15 });
    const later = await report('Plotter down');
    expect((await fanOutJobs(later.id))[0].runAt.getTime() - clock.now().getTime()).toBe(15 * 60_000);
    expect((await fanOutJobs(atOnce.id))[0].state).toBe('done');
  });
});
