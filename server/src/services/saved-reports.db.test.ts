import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { jobs, notifications } from '../db/schema/index.js';
import { createMyReport, sendScheduledReport, updateMyReport } from './saved-reports.service.js';
import { createTeam, updateTeamById } from './teams.service.js';

/**
 * The scheduled report's timer (issue 16): one mail per recipient per due time, whatever runs the
 * timer again — a crash after the commit and before the job was marked done runs it twice.
 */
let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
const CHANNELS = { publicUrl: 'https://desk.example.test' };

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-03-04T10:00:00Z') };
});
afterAll(() => database.close());

const mailsOf = async (reportId: string) =>
  (await database.db.select().from(notifications).where(eq(notifications.reason, 'scheduled_report'))).filter(
    (n) => n.payload?.reportId === reportId,
  );
const timersOf = async (reportId: string) =>
  (await database.db.select().from(jobs).where(eq(jobs.kind, 'report.send'))).filter((j) => j.id.includes(reportId)).map((j) => j.id);

describe('a scheduled report', () => {
  it('is sent exactly once per due time, even when its timer runs again after a restart', async () => {
    const mia = await createTestPerson(deps, 'manager', { email: 'mia@sched.test', name: 'Mia' });
    const { report } = await createMyReport(deps, mia, {
      name: 'Monthly',
      kpis: ['open-work'],
      filters: { periodDays: 30 },
      schedule: 'monthly',
      recipients: ['mia@sched.test'],
    });
    const dueAt = '2026-04-01T07:00:00.000Z';
    expect(report.nextSendAt?.toISOString()).toBe(dueAt);
    expect(await timersOf(report.id)).toEqual([`report.send:${report.id}:${dueAt}`]);
    deps.clock.set(dueAt);
    expect(await sendScheduledReport(deps, CHANNELS, { reportId: report.id, dueAt })).toBe('sent');
    expect(await sendScheduledReport(deps, CHANNELS, { reportId: report.id, dueAt })).toBe('nothing_due');
    expect(await mailsOf(report.id)).toHaveLength(1);
    // The next timer is set for 1 May.
    expect(await timersOf(report.id)).toContain(`report.send:${report.id}:2026-05-01T07:00:00.000Z`);
  });

  it('sends nothing for a timer an edit made stale, and follows the new schedule', async () => {
    const max = await createTestPerson(deps, 'manager', { email: 'max@sched.test', name: 'Max' });
    deps.clock.set('2026-05-06T10:00:00Z'); // a Wednesday
    const input = { name: 'Ops', kpis: ['open-work' as const], filters: { periodDays: 7 }, recipients: ['max@sched.test'] };
    const { report } = await createMyReport(deps, max, { ...input, schedule: 'monthly' });
    const stale = report.nextSendAt?.toISOString() ?? '';
    const { report: edited } = await updateMyReport(deps, max, report.id, { ...input, schedule: 'weekly' });
    expect(edited.nextSendAt?.toISOString()).toBe('2026-05-11T07:00:00.000Z');
    deps.clock.set(stale);
    expect(await sendScheduledReport(deps, CHANNELS, { reportId: report.id, dueAt: stale })).toBe('nothing_due');
    expect(await mailsOf(report.id)).toEqual([]);
  });

  it('stops instead of mailing figures its owner may no longer see', async () => {
    const ana = await createTestPerson(deps, 'agent', { email: 'ana@sched.test', name: 'Ana' });
    const team = await createTeam(deps, { name: 'Sched team', memberIds: [ana.id], managerId: null });
    deps.clock.set('2026-06-03T10:00:00Z');
    const { report } = await createMyReport(deps, ana, {
      name: 'Mine',
      kpis: ['open-work'],
      filters: { periodDays: 7 },
      schedule: 'weekly',
      recipients: ['ana@sched.test'],
    });
    await updateTeamById(deps, team.id, { name: 'Sched team', memberIds: [], managerId: null });
    const dueAt = report.nextSendAt?.toISOString() ?? '';
    deps.clock.set(dueAt);
    expect(await sendScheduledReport(deps, CHANNELS, { reportId: report.id, dueAt })).toBe('stopped');
    expect(await mailsOf(report.id)).toEqual([]);
  });
});
