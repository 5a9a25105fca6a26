import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createSlaPolicyViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { jobs } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { sweepIdleTimers } from '../../services/automation-idle-sweep.service.js';

/**
 * The "idle for N business hours" trigger (issue 18): a durable timer per ticket, armed by its
 * creation and by people's replies and work notes, counted in the ticket's SLA calendar, firing
 * its rule once per idle stretch. The fake clock moves; each run builds a new job registry and
 * runner, as a restarted server would, and finds the timers in the database.
 */

let t: TestApp;
let admin: TestUser;
let ann: TestUser;
let rita: TestUser;
let network: { id: string };

const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: TestUser, payload?: object) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
const ticket = async (id: string) => json(await call('GET', `/api/v1/tickets/${id}`, admin));
const ran = async (id: string) =>
  (
    json(await call('GET', `/api/v1/tickets/${id}/timeline`, admin)).items as { type: string; data: Record<string, unknown> | null }[]
  ).filter((e) => e.type === 'automation_ran');
const runJobsAt = async (iso: string) => {
  t.clock.set(iso);
  await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
};

beforeAll(async () => {
  // Monday 2 March 2026, 09:00 in Berlin (UTC+1).
  t = await createTestApp();
  admin = await t.user('admin');
  ann = await t.user('agent', { name: 'Ann Agent' });
  rita = await t.user('requester', { name: 'Rita Requester' });
  network = json(await call('POST', '/api/v1/teams', admin, { name: 'Network', memberIds: [ann.user.id] }));
  // Every ticket counts in Berlin's 09:00–17:00 week (a long target, so no SLA timer interferes).
  await createSlaPolicyViaApi(t, admin, { name: 'Everything', match: { priorities: [1, 2, 3, 4, 5] }, resolutionMinutes: 100_000 });
  const rule = await call('POST', '/api/v1/automation/rules', admin, {
    name: 'Idle four hours to Network',
    enabled: true,
    trigger: { on: 'idle', hours: 4 },
    actions: [{ type: 'assign', teamId: network.id }],
  });
  expect(rule.statusCode, rule.body).toBe(201);
});
afterAll(() => t.close());

describe('idle for N business hours', () => {
  it('fires once after four quiet business hours; a work note restarts the count', async () => {
    t.clock.set('2026-03-02T08:00:00Z');
    const quiet = json(await call('POST', '/api/v1/tickets', rita, { title: 'Label printer offline' }));
    // 12:00 in Berlin: three hours.
    await runJobsAt('2026-03-02T11:00:00Z');
    expect((await ticket(quiet.id)).team).toBeNull();
    // Ann writes a work note at 12:00: the stretch starts again, due at 16:00 Berlin.
    const noted = await call('POST', `/api/v1/tickets/${quiet.id}/comments`, ann, {
      body: 'Looking at the spooler',
      visibility: 'internal',
    });
    expect(noted.statusCode, noted.body).toBeLessThan(300);
    // 13:30 Berlin: the first timer runs out, finds the newer note and does nothing.
    await runJobsAt('2026-03-02T12:30:00Z');
    expect((await ticket(quiet.id)).team).toBeNull();
    expect(await ran(quiet.id)).toEqual([]);
    // 16:00 Berlin: four hours after the note.
    await runJobsAt('2026-03-02T15:00:00Z');
    expect((await ticket(quiet.id)).team?.name).toBe('Network');
    expect((await ran(quiet.id)).map((e) => e.data?.ruleName)).toEqual(['Idle four hours to Network']);
    // A day later, still quiet: the stretch already fired, nothing more.
    await runJobsAt('2026-03-03T15:00:00Z');
    expect(await ran(quiet.id)).toHaveLength(1);
  });

  it('counts business hours only: a ticket opened after hours fires the next working day', async () => {
    // Monday 18:00 in Berlin: the office is closed until Tuesday 09:00, so due Tuesday 13:00.
    t.clock.set('2026-03-02T17:00:00Z');
    const late = json(await call('POST', '/api/v1/tickets', rita, { title: 'Scanner jams after hours' }));
    await runJobsAt('2026-03-02T23:00:00Z');
    await runJobsAt('2026-03-03T11:59:00Z');
    expect((await ticket(late.id)).team).toBeNull();
    await runJobsAt('2026-03-03T12:00:00Z');
    expect((await ticket(late.id)).team?.name).toBe('Network');
  });

  it('refuses an idle rule without its hours, and hours on another trigger, naming the field', async () => {
    const without = await call('POST', '/api/v1/automation/rules', admin, {
      name: 'No hours',
      trigger: { on: 'idle' },
      actions: [{ type: 'assign', teamId: network.id }],
    });
    expect(without.statusCode).toBe(400);
    expect(json(without).errors).toEqual([{ field: 'trigger.hours', message: 'says how many business hours' }]);
    const misplaced = await call('POST', '/api/v1/automation/rules', admin, {
      name: 'Hours on created',
      trigger: { on: 'created', hours: 3 },
      actions: [{ type: 'assign', teamId: network.id }],
    });
    expect(misplaced.statusCode).toBe(400);
    expect(json(misplaced).errors[0].field).toBe('trigger.hours');
  });
  it('gives tickets already quiet a timer when an idle rule is created or switched on, once each', async () => {
    const secondLine = json(await call('POST', '/api/v1/teams', admin, { name: 'Second line', memberIds: [ann.user.id] }));
    // Monday 9 March, 09:00 Berlin: two tickets; Ann writes a work note on one at 10:30 Berlin.
    t.clock.set('2026-03-09T08:00:00Z');
    const quiet = json(await call('POST', '/api/v1/tickets', rita, { title: 'Projector flickers' }));
    const noted = json(await call('POST', '/api/v1/tickets', rita, { title: 'Badge reader beeps' }));
    t.clock.set('2026-03-09T09:30:00Z');
    await call('POST', `/api/v1/tickets/${noted.id}/comments`, ann, { body: 'Ordered a new reader', visibility: 'internal' });
    // 11:30 Berlin: a two-hour rule arrives. Nothing armed a two-hour timer for these tickets.
    t.clock.set('2026-03-09T10:30:00Z');
    const rule = {
      name: 'Idle two hours to Second line',
      enabled: true,
      trigger: { on: 'idle', hours: 2 },
      actions: [{ type: 'assign', teamId: secondLine.id }],
    };
    const created = await call('POST', '/api/v1/automation/rules', admin, rule);
    expect(created.statusCode, created.body).toBe(201);
    // The sweep arms the timers; the quiet ticket's (due 11:00 Berlin) runs at once, the noted one's waits until 12:30.
    await runJobsAt('2026-03-09T10:30:00Z');
    await runJobsAt('2026-03-09T10:30:00Z');
    expect((await ticket(quiet.id)).team?.name).toBe('Second line');
    expect((await ticket(noted.id)).team).toBeNull();
    const timers = async (ticketId: string) =>
      (
        await t.deps.db
          .select({ id: jobs.id })
          .from(jobs)
          .where(
            and(eq(jobs.kind, 'automation.idle'), sql`${jobs.payload}->>'ticketId' = ${ticketId}`, sql`${jobs.payload}->>'hours' = '2'`),
          )
      ).length;
    expect(await timers(noted.id)).toBe(1);

    // The done timers are cleaned away (as the job retention does), then the rule is switched off and
    // on again, and a page of one ticket is asked for by hand: the same timers, no more firings.
    await t.deps.db.delete(jobs).where(and(eq(jobs.kind, 'automation.idle'), eq(jobs.state, 'done')));
    const saved = json(created);
    const off = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/automation/rules/${saved.id}`,
      headers: { ...admin.headers, 'if-match': `"${saved.version}"` },
      payload: { ...rule, enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    const on = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/automation/rules/${saved.id}`,
      headers: { ...admin.headers, 'if-match': `"${json(off).version}"` },
      payload: rule,
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(await sweepIdleTimers(t.deps, { hours: 2, sweep: '2026-03-09T10:31:00.000Z', after: null }, 1)).toEqual({
      armed: 1,
      done: false,
    });
    for (let i = 0; i < 4; i++) await runJobsAt('2026-03-09T10:31:00Z');
    expect(await timers(noted.id)).toBe(1);
    expect(await timers(quiet.id)).toBe(1);
    expect((await ran(quiet.id)).filter((e) => e.data?.ruleName === rule.name)).toHaveLength(1);

    // 12:30 Berlin: two hours after the note.
    await runJobsAt('2026-03-09T11:30:00Z');
    expect((await ticket(noted.id)).team?.name).toBe('Second line');
  });
});
