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
import { applyTicketChange } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';
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

const fanOutJobs = () =>
  database.db
    .select({ id: jobs.id, payload: jobs.payload })
    .from(jobs)
    .where(and(eq(jobs.kind, 'status.fan_out'), sql`${jobs.payload}->>'ticketId' = ${ticketId}`));
const deliveryCount = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(statusDeliveries))[0].n;
const deliverJobCount = async () =>
  (await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(like(jobs.id, 'status.deliver:%')))[0].n;

describe('status page news from the ticket-change pipeline', () => {
  it('a writer calling the pipeline with a public comment (as an update composer would) schedules the fan-out', async () => {
    // The incident's start was announced when it was reported.
    expect((await fanOutJobs()).map((j) => j.payload.what)).toEqual(['started']);
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

  it('sends each once through the job queue (the started news and the update), and nothing to a subscriber who left meanwhile', async () => {
    await database.db.delete(statusSubscribers).where(eq(statusSubscribers.address, 'both@fanout.test'));
    const mail = {
      ...NO_DELIVERY.mail,
      mailer: {
        send: async (m: OutgoingMail) => {
          sent.push(m);
        },
      },
    };
    const registry = buildJobRegistry({ mail });
    for (let i = 0; i < 10; i += 1) if ((await runDueJobs(deps, registry, WORKER_OPTIONS)).claimed === 0) break;
    const to = (subject: RegExp) =>
      sent
        .filter((m) => subject.test(m.subject))
        .map((m) => m.to)
        .sort();
    expect(to(/Update: VPN down/)).toEqual(['all@fanout.test', 'vpn@fanout.test']);
    expect(to(/Investigating: VPN down/)).toEqual(['all@fanout.test', 'vpn@fanout.test']);
    const update = sent.find((m) => /Update/.test(m.subject)) as OutgoingMail;
    expect(update.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost\/status\/unsubscribe\?token=[^>]+>$/);
    expect(update.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(update.html).toContain('Investigating: &lt;b&gt;gateway&lt;/b&gt; restart');

    // A delivery job run again (a worker died before marking it done) sends nothing more.
    const count = sent.length;
    await database.db.update(jobs).set({ state: 'pending', runAt: clock.now() }).where(like(jobs.id, 'status.deliver:%'));
    for (let i = 0; i < 10; i += 1) if ((await runDueJobs(deps, registry, WORKER_OPTIONS)).claimed === 0) break;
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
