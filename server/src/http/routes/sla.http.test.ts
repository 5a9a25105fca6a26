import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createSlaPolicyViaApi, NINE_TO_FIVE_WEEK } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { findJob, insertJob } from '../../repositories/jobs.repository.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
const week = NINE_TO_FIVE_WEEK;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
});
afterAll(() => t.close());

describe('SLA configuration and ticket clocks over HTTP', () => {
  it('lets an admin define a calendar and a policy, and shows a new P1 its due times', async () => {
    const { policy } = await createSlaPolicyViaApi(
      t,
      admin,
      { name: 'P1', match: { priorities: [1] }, firstResponseMinutes: 15, resolutionMinutes: 240 },
      { holidays: ['2026-12-25'] },
    );
    expect(policy).toMatchObject({ warnPercent: 75, pauseOnHoldReasons: ['awaiting_requester'] });

    // 2026-03-02T08:00Z is Monday 09:00 in Berlin.
    const ticket = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: agent.headers,
        payload: { title: 'Mail down', impact: 1, urgency: 1 },
      }),
    );
    const sla = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/sla`, headers: agent.headers });
    expect(sla.statusCode).toBe(200);
    expect(json(sla).items).toEqual([
      expect.objectContaining({
        target: 'first_response',
        status: 'running',
        dueAt: '2026-03-02T08:15:00.000Z',
        warnAt: '2026-03-02T08:11:15.000Z',
        // Counted on a business calendar: the desk says "business hours", not plain hours.
        businessHours: true,
      }),
      expect.objectContaining({ target: 'resolution', status: 'running', dueAt: '2026-03-02T12:00:00.000Z', policyName: 'P1' }),
    ]);
  });

  it('refuses a calendar that cannot work, saying why', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/business-calendars',
      headers: admin.headers,
      payload: { name: 'Broken', timeZone: 'Mars/Olympus', week: { ...week, monday: [{ start: 600, end: 540 }] } },
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).detail).toContain('Mars/Olympus is not an IANA time zone');
    expect(json(res).detail).toContain('monday: 10:00–09:00 is not a valid interval');
  });

  it('moves a policy by its position alone, keeping what it matches, its warning and its pausing reasons', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: admin.headers,
      payload: {
        name: 'Moved P4',
        match: { priorities: [4] },
        resolutionMinutes: 600,
        warnPercent: 50,
        pauseOnHoldReasons: ['awaiting_vendor'],
      },
    });
    expect(created.statusCode).toBe(201);
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sla-policies/${json(created).id}`,
      headers: admin.headers,
      payload: { position: 5 },
    });
    expect(moved.statusCode).toBe(200);
    expect(json(moved)).toMatchObject({
      position: 5,
      match: { priorities: [4] },
      warnPercent: 50,
      pauseOnHoldReasons: ['awaiting_vendor'],
    });
  });

  it('renames a calendar without dropping its holidays', async () => {
    const week = { monday: [{ start: 540, end: 1020 }], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/business-calendars',
      headers: admin.headers,
      payload: { name: 'Mondays', timeZone: 'Europe/Berlin', week, holidays: ['2026-12-28'] },
    });
    expect(created.statusCode).toBe(201);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/business-calendars/${json(created).id}`,
      headers: admin.headers,
      payload: { name: 'Mondays only' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toMatchObject({ name: 'Mondays only', holidays: ['2026-12-28'] });
  });

  it('refuses a policy without any target, and one naming a calendar that does not exist', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/sla-policies', headers: admin.headers, payload: { name: 'Empty' } });
    expect(none.statusCode).toBe(422);
    expect(json(none).errors[0].field).toBe('resolutionMinutes');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: admin.headers,
      payload: { name: 'Ghost', calendarId: '00000000-0000-4000-8000-000000000000', resolutionMinutes: 60 },
    });
    expect(missing.statusCode).toBe(422);
    expect(json(missing).errors[0].field).toBe('calendarId');
  });

  it("shows the desk a ticket's delivery log, with deliveries waiting when no mail server is configured", async () => {
    const requester = await t.user('requester');
    const ticket = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: requester.headers, payload: { title: 'Laptop fan loud' } }),
    );
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/comments`,
      headers: agent.headers,
      payload: { body: 'Bring it by', visibility: 'public' },
    });
    const log = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/notifications`, headers: agent.headers });
    expect(log.statusCode).toBe(200);
    expect(json(log).items).toEqual([
      expect.objectContaining({
        channel: 'email',
        address: requester.user.email,
        reason: 'reply_from_desk',
        state: 'pending',
        sentAt: null,
      }),
    ]);
    const hidden = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/notifications`, headers: requester.headers });
    expect(hidden.statusCode).toBe(403);
  });

  it('shows admins the jobs that failed for good, with their error', async () => {
    await insertJob(t.deps.db, { id: 'mystery:1', kind: 'mystery', payload: { x: 1 }, runAt: t.clock.now(), now: t.clock.now() });
    await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs/dead', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(json(res).items).toContainEqual(
      expect.objectContaining({
        id: 'mystery:1',
        lastError: 'no handler is registered for jobs of kind "mystery"',
        ticketId: null,
        delivery: null,
      }),
    );
  });

  it('lets admins run failed work again, by id or all at once, and refuses a body that names neither', async () => {
    for (const n of [2, 3]) {
      await insertJob(t.deps.db, { id: `mystery:${n}`, kind: 'mystery', payload: {}, runAt: t.clock.now(), now: t.clock.now() });
    }
    await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    const retry = (headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/v1/jobs/dead/retry', headers, payload: payload as object });

    const bad = await retry(admin.headers, { ids: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await retry(admin.headers, {})).statusCode).toBe(400);
    expect((await retry(agent.headers, { all: true })).statusCode).toBe(403);

    const one = await retry(admin.headers, { ids: ['mystery:2', 'no-such-job'] });
    expect(one.statusCode).toBe(200);
    expect(json(one).retried).toEqual(['mystery:2']);
    expect(await findJob(t.deps.db, 'mystery:2')).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await findJob(t.deps.db, 'mystery:3'))?.state).toBe('dead');

    const all = json(await retry(admin.headers, { all: true })).retried;
    expect(all).toContain('mystery:3');
    expect(all).not.toContain('mystery:2'); // already pending: not counted twice
    const dead = json(await t.app.inject({ method: 'GET', url: '/api/v1/jobs/dead', headers: admin.headers })).items;
    expect(dead.map((j: { id: string }) => j.id)).not.toContain('mystery:3');
  });
});

describe('the next SLA due time in queues ("breaching soon")', () => {
  it('lists each ticket with its next due time, moves it on the first response, clears it on a pausing hold, and filters and sorts by it', async () => {
    await createSlaPolicyViaApi(
      t,
      admin,
      { name: 'P2 queue', match: { priorities: [2] }, firstResponseMinutes: 30, resolutionMinutes: 480 },
      { name: 'Queue office' },
    );
    const report = async (title: string) =>
      json(
        await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent.headers, payload: { title, impact: 1, urgency: 2 } }),
      );
    const soon = await report('Printer queue stuck');
    t.clock.advance(10 * 60_000);
    const later = await report('Shared drive slow');
    // Monday 09:00 Berlin + 30 business minutes.
    expect(soon.slaDueAt).toBe('2026-03-02T08:30:00.000Z');
    expect(later.slaDueAt).toBe('2026-03-02T08:40:00.000Z');

    // Only this test's two tickets (others in this file have clocks too), in the order listed.
    const list = async (query: string) =>
      json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: agent.headers }))
        .items.map((i: { title: string }) => i.title)
        .filter((title: string) => title === 'Printer queue stuck' || title === 'Shared drive slow');
    expect(await list('state=open&sort=slaDueAt&slaDueBefore=2026-03-02T08:35:00Z')).toEqual(['Printer queue stuck']);
    expect(await list('state=open&sort=slaDueAt&limit=200')).toEqual(['Printer queue stuck', 'Shared drive slow']);

    // The desk answers (not the agent who reported it, who is its requester): first response
    // is met, so the next due time is the resolution target.
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${soon.id}/comments`,
      headers: admin.headers,
      payload: { body: 'On it', visibility: 'public' },
    });
    expect(reply.statusCode).toBe(201);
    const answered = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${soon.id}`, headers: agent.headers }));
    expect(answered.slaDueAt).toBe('2026-03-02T16:00:00.000Z'); // 8 business hours from 09:00
    expect(await list('state=open&sort=slaDueAt&slaDueBefore=2026-03-02T08:35:00Z')).toEqual([]);

    // Waiting for the requester stops the clock: nothing is due while it waits.
    const held = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${later.id}/transitions`,
      headers: agent.headers,
      payload: { to: 'on_hold', onHoldReason: 'awaiting_requester' },
    });
    expect(held.statusCode).toBe(200);
    expect(json(held).slaDueAt).toBeNull();
  });
});
