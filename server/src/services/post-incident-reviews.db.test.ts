import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, makeTestMajorIncident, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { jobs, notifications } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { appendTimelineEvents, listTimelineEvents } from '../repositories/timeline.repository.js';
import { createActionItem, remindActionItemOwner, updateActionItem } from './action-items.service.js';
import { draftReview, getReview } from './post-incident-reviews.service.js';
import { transitionTicket } from './ticket-work.service.js';

/**
 * Post-incident reviews on a real engine and a fake clock: a review drafted from the VPN outage's
 * timeline finds its key moments and durations; an action item's owner is reminded two days
 * before and on the due date, each reminder once, even when the timer runs again (a restart).
 */

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
const channels = {
  mail: {
    mailer: { send: async () => {} },
    webhooks: { post: async () => {} },
    messageIdDomain: 'firebreak.test',
    publicUrl: 'http://firebreak.test',
  },
};
/** A fresh registry each sweep: what a restarted server builds. */
const sweep = () => runDueJobs(deps, buildJobRegistry(channels), WORKER_OPTIONS);

let lead: Awaited<ReturnType<typeof createTestPerson<'manager'>>>;
let owen: Awaited<ReturnType<typeof createTestPerson<'agent'>>>;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-10T09:03:00Z');
  deps = { db: database.db, clock };
  lead = await createTestPerson(deps, 'manager', { email: 'lead@review.test', name: 'Lena Lead' });
  owen = await createTestPerson(deps, 'agent', { email: 'owen@review.test', name: 'Owen Owner', timeZone: 'Europe/Berlin' });
});
afterAll(() => database.close());

const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);

describe('a review drafted from the timeline', () => {
  it('finds detected (first alert), report, declared, acknowledged, mitigated and resolved, and the durations', async () => {
    clock.set(at('09:03'));
    const ticket = await reportTestTicket(deps, lead, 'VPN down for everyone', { impact: 1, urgency: 1 });
    await makeTestMajorIncident(deps, ticket.id, at('09:07'));
    const note = (type: 'alert' | 'page_acknowledged' | 'stakeholder_update', when: string, data: Record<string, unknown>) =>
      appendTimelineEvents(deps.db, [
        { ticketId: ticket.id, type, internal: true, actorId: null, at: at(when), body: `${type} at ${when}`, data },
      ]);
    await note('alert', '09:02', { status: 'firing' });
    await note('page_acknowledged', '09:08', {});
    await note('stakeholder_update', '09:30', { stage: 'investigating' });
    await note('stakeholder_update', '10:15', { stage: 'monitoring' });
    clock.set(at('10:40'));
    await transitionTicket(deps, lead, ticket.id, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Renewed the certificate',
    });

    const view = await draftReview(deps, lead, ticket.id);
    const moments = Object.fromEntries(view.facts.moments.map((m) => [m.moment, m.at?.toISOString().slice(11, 16) ?? null]));
    expect(moments).toEqual({
      detected: '09:02',
      reported: '09:03',
      declared: '09:07',
      acknowledged: '09:08',
      mitigated: '10:15',
      resolved: '10:40',
    });
    const minutes = Object.fromEntries(view.facts.durations.map((d) => [d.kind, (d.wallMs ?? -1) / 60_000]));
    expect(minutes).toEqual({ detect: 1, acknowledge: 6, declare: 5, mitigate: 73, resolve: 98 });
    // No SLA calendar: business time is counted round the clock.
    expect(view.facts.durations.every((d) => d.businessMs === d.wallMs)).toBe(true);
    expect(view.review?.state).toBe('draft');
    expect(view.review?.sections.timeline).toContain('2026-03-10 10:15 UTC — Mitigated');
    expect(view.facts.updates.map((u) => u.stage)).toEqual(['investigating', 'monitoring']);
    // The draft is on the incident's timeline.
    const events = await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 100 });
    expect(events.filter((e) => e.type === 'review_changed').map((e) => e.body)).toEqual(['Post-incident review drafted']);
    expect((await getReview(deps, lead, ticket.id)).review?.id).toBe(view.review?.id);
  });
});

describe('action item reminders', () => {
  const remindersOf = async (ticketId: string) =>
    (await listTimelineEvents(deps.db, { ticketId, includeInternal: true, limit: 200 }))
      .filter((e) => e.type === 'action_item_reminder')
      .map((e) => e.data?.kind);
  const notesTo = async (userId: string) =>
    deps.db
      .select({ reason: notifications.reason, channel: notifications.channel })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.reason, 'action_item_due')));

  it('reminds the owner two days before and on the day, each once, also after a restart', async () => {
    clock.set('2026-03-11T12:00:00Z');
    const ticket = await reportTestTicket(deps, lead, 'Certificate renewal is manual');
    const item = await createActionItem(deps, lead, ticket.id, {
      title: 'Automate certificate renewal',
      ownerId: owen.id,
      dueOn: '2026-03-20',
      priority: 'high',
    });
    await sweep();
    expect(await remindersOf(ticket.id)).toEqual([]);

    // 09:00 in Berlin on the 18th is 08:00 UTC.
    clock.set('2026-03-18T07:59:00Z');
    await sweep();
    expect(await remindersOf(ticket.id)).toEqual([]);
    clock.set('2026-03-18T08:00:00Z');
    await sweep();
    expect(await remindersOf(ticket.id)).toEqual(['before']);
    expect((await notesTo(owen.id)).map((n) => n.channel)).toContain('in_app');

    // The timer runs again (a crash after the note committed, a second worker): nothing more.
    await remindActionItemOwner(deps, { actionItemId: item.id, kind: 'before', dueOn: '2026-03-20' });
    await sweep();
    expect(await remindersOf(ticket.id)).toEqual(['before']);

    clock.set('2026-03-20T08:00:00Z');
    await sweep();
    await sweep();
    expect(await remindersOf(ticket.id)).toEqual(['before', 'due']);
    expect((await notesTo(owen.id)).filter((n) => n.channel === 'in_app')).toHaveLength(2);
  });

  it('a done item is not reminded; a moved due date has its own reminders', async () => {
    clock.set('2026-04-01T12:00:00Z');
    const ticket = await reportTestTicket(deps, lead, 'Monitoring gap');
    const done = await createActionItem(deps, lead, ticket.id, {
      title: 'Alert on expiry',
      ownerId: owen.id,
      dueOn: '2026-04-10',
      priority: 'medium',
    });
    await updateActionItem(deps, lead, done.id, { state: 'done' }, done.version);
    const moved = await createActionItem(deps, lead, ticket.id, {
      title: 'Runbook for renewal',
      ownerId: owen.id,
      dueOn: '2026-04-10',
      priority: 'low',
    });
    await updateActionItem(deps, lead, moved.id, { dueOn: '2026-04-15' }, moved.version);
    const timers = await deps.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.kind, 'action_item.reminder'));
    expect(timers.map((j) => j.id)).toContain(`action_item.reminder:${moved.id}:due:2026-04-15`);

    clock.set('2026-04-10T10:00:00Z');
    await sweep();
    // The old date's timers find the item moved; the done item stays quiet.
    expect(await remindersOf(ticket.id)).toEqual([]);
    clock.set('2026-04-13T08:00:00Z');
    await sweep();
    clock.set('2026-04-15T08:00:00Z');
    await sweep();
    const events = (await listTimelineEvents(deps.db, { ticketId: ticket.id, includeInternal: true, limit: 200 })).filter(
      (e) => e.type === 'action_item_reminder',
    );
    expect(events.map((e) => [e.data?.actionItemId, e.data?.kind])).toEqual([
      [moved.id, 'before'],
      [moved.id, 'due'],
    ]);
  });
});
