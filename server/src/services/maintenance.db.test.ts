import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { FakeClock } from '../adapters/clock.js';
import type { OutgoingMail } from '../adapters/mailer.js';
import type { Database } from '../db/client.js';
import { jobs, maintenanceUpdates, statusSubscribers } from '../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { createService } from './catalog.service.js';
import { createUser } from './directory.service.js';
import { cancelMaintenance, createMaintenance, editMaintenance, getMaintenance } from './maintenance.service.js';
import { readStatusPage } from './status-page.service.js';

/**
 * Planned maintenance's timers (issue 15 #7) on a real engine with a fake clock: a window is
 * announced, reminded, started and completed by its own durable timers — each exactly once, even
 * when a worker dies after doing the work and before marking the job done, or the server was down
 * through the start — and moving or cancelling it makes the old timers do nothing.
 */
let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let manager: { id: string; role: 'manager' };
let mailId: string;
const sent: OutgoingMail[] = [];
const HOUR = 3_600_000;

const mail = {
  ...NO_DELIVERY.mail,
  mailer: {
    send: async (m: OutgoingMail) => {
      sent.push(m);
    },
  },
};

/** The worker, as a process would run it: sweeps until nothing is due. */
async function work() {
  const registry = buildJobRegistry({ mail });
  for (let i = 0; i < 20; i += 1) if ((await runDueJobs(deps, registry, WORKER_OPTIONS)).claimed === 0) return;
}

/** A restart after a crash: every job done since `since` is due again, as if never marked done. */
async function replayJobsDoneSince(since: Date) {
  await database.db
    .update(jobs)
    .set({ state: 'pending', runAt: clock.now(), attempts: 0 })
    .where(and(like(jobs.kind, 'maintenance.%'), sql`${jobs.finishedAt} >= ${since.toISOString()}::timestamptz`));
}

const newsOf = async (id: string) =>
  (await database.db.select({ news: maintenanceUpdates.news }).from(maintenanceUpdates).where(eq(maintenanceUpdates.maintenanceId, id)))
    .map((u) => u.news)
    .sort();
const mailStatus = async () => (await readStatusPage(deps.db, clock.now())).components.find((c) => c.id === mailId)?.status;
const subjects = () => sent.map((m) => m.subject.replace(/^\[[^\]]+\] /, ''));

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-12-01T09:00:00Z');
  deps = { db: database.db, clock };
  manager = {
    id: (await createUser(deps, { email: 'mgr@maint.test', name: 'Mia Manager', role: 'manager', timeZone: 'UTC' })).id,
    role: 'manager',
  };
  mailId = (await createService(deps, { name: 'Mail', onStatusPage: true })).id;
  const now = clock.now();
  await database.db.insert(statusSubscribers).values([
    { channel: 'email', address: 'all@maint.test', componentIds: [], confirmedAt: now, createdAt: now, updatedAt: now },
    { channel: 'email', address: 'mail@maint.test', componentIds: [mailId], confirmedAt: now, createdAt: now, updatedAt: now },
    { channel: 'email', address: 'waiting@maint.test', componentIds: [], confirmedAt: null, createdAt: now, updatedAt: now },
  ]);
});
afterAll(() => database.close());

describe('a planned maintenance window’s timers', () => {
  let id: string;

  it('announce the window to subscribers of its components at once', async () => {
    const created = await createMaintenance(deps, manager, {
      title: 'Mail server upgrade',
      description: 'Mail may be slow for a few minutes.',
      componentIds: [mailId],
      startsAt: new Date(clock.now().getTime() + 7 * 24 * HOUR),
      endsAt: new Date(clock.now().getTime() + 7 * 24 * HOUR + 2 * HOUR),
    });
    id = created.id;
    expect(created.leadMinutes).toBe(24 * 60);
    await work();
    expect(subjects()).toEqual(['Planned maintenance: Mail server upgrade', 'Planned maintenance: Mail server upgrade']);
    expect(sent.map((m) => m.to).sort()).toEqual(['all@maint.test', 'mail@maint.test']);
    expect(sent[0].text).toContain('/status/maintenance/');
    expect(await mailStatus()).toBe('operational');
  });

  it('remind at the lead time, once, even when the worker died before marking the reminder done', async () => {
    sent.length = 0;
    clock.set(new Date(clock.now().getTime() + 6 * 24 * HOUR)); // one day before the start
    const before = clock.now();
    await work();
    await replayJobsDoneSince(before);
    await work();
    expect(subjects()).toEqual(['Maintenance reminder: Mail server upgrade', 'Maintenance reminder: Mail server upgrade']);
    expect(await newsOf(id)).toEqual(['reminder', 'scheduled']);
  });

  it('start it when it falls due — the component is under maintenance — and complete it when it ends, each once across a restart', async () => {
    sent.length = 0;
    clock.set(new Date(clock.now().getTime() + 24 * HOUR));
    const startedAround = clock.now();
    await work();
    await replayJobsDoneSince(startedAround);
    await work();
    expect((await getMaintenance(deps, id)).state).toBe('in_progress');
    expect(await mailStatus()).toBe('under_maintenance');
    const page = await readStatusPage(deps.db, clock.now());
    expect(page.indicator).toBe('maintenance');
    expect(page.activeMaintenance.map((m) => m.id)).toEqual([id]);

    clock.set(new Date(clock.now().getTime() + 2 * HOUR));
    const completedAround = clock.now();
    await work();
    await replayJobsDoneSince(completedAround);
    await work();
    const done = await getMaintenance(deps, id);
    expect(done.state).toBe('completed');
    expect(done.startedAt?.toISOString()).toBe(startedAround.toISOString());
    expect(await mailStatus()).toBe('operational');
    expect(await newsOf(id)).toEqual(['completed', 'in_progress', 'reminder', 'scheduled']);
    expect(subjects().sort()).toEqual([
      'Maintenance completed: Mail server upgrade',
      'Maintenance completed: Mail server upgrade',
      'Maintenance started: Mail server upgrade',
      'Maintenance started: Mail server upgrade',
    ]);
    expect((await readStatusPage(deps.db, clock.now())).pastMaintenance.map((m) => m.id)).toEqual([id]);
  });

  it('complete a window whose start fell while the server was down, without announcing a start nobody needs', async () => {
    const w = await createMaintenance(deps, manager, {
      title: 'Overnight patching',
      description: '',
      componentIds: [mailId],
      startsAt: new Date(clock.now().getTime() + HOUR),
      endsAt: new Date(clock.now().getTime() + 2 * HOUR),
      leadMinutes: 0,
    });
    clock.set(new Date(clock.now().getTime() + 3 * HOUR)); // down through the whole window
    await work();
    expect((await getMaintenance(deps, w.id)).state).toBe('completed');
    expect(await newsOf(w.id)).toEqual(['completed', 'scheduled']);
  });

  it('once moved, start at the new time (the old timer does nothing); once cancelled, never start', async () => {
    sent.length = 0;
    const start = new Date(clock.now().getTime() + 2 * HOUR);
    const moved = await createMaintenance(deps, manager, {
      title: 'Database failover test',
      description: '',
      componentIds: [mailId],
      startsAt: start,
      endsAt: new Date(start.getTime() + HOUR),
      leadMinutes: 0,
    });
    const edited = await editMaintenance(deps, manager, moved.id, {
      startsAt: new Date(start.getTime() + 3 * HOUR),
      endsAt: new Date(start.getTime() + 4 * HOUR),
      version: moved.version,
    });
    expect(edited.version).toBe(2);
    await expect(editMaintenance(deps, manager, moved.id, { title: 'Stale', version: 1 })).rejects.toMatchObject({ code: 'stale_version' });
    const cancelled = await createMaintenance(deps, manager, {
      title: 'Cancelled work',
      description: '',
      componentIds: [mailId],
      startsAt: start,
      endsAt: new Date(start.getTime() + HOUR),
      leadMinutes: 0,
    });
    await cancelMaintenance(deps, manager, cancelled.id);

    clock.set(new Date(start.getTime() + 30 * 60_000)); // the old start has passed
    await work();
    expect((await getMaintenance(deps, moved.id)).state).toBe('scheduled');
    expect((await getMaintenance(deps, cancelled.id)).state).toBe('cancelled');
    expect(await mailStatus()).toBe('operational');

    clock.set(new Date(start.getTime() + 3 * HOUR));
    await work();
    expect((await getMaintenance(deps, moved.id)).state).toBe('in_progress');
    expect(await newsOf(cancelled.id)).toEqual(['cancelled', 'scheduled']);
    expect(subjects()).toContain('Maintenance changed: Database failover test');
    expect(subjects()).toContain('Maintenance cancelled: Cancelled work');
  });
});
