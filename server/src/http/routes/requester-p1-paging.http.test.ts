import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let admin: TestUser;
let desk: TestUser;
let onCall: TestUser;
let requester: TestUser;
let serviceId: string;
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  desk = await t.user('agent', { name: 'Desk Dana' });
  onCall = await t.user('agent', { name: 'On Call' });
  requester = await t.user('requester');
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  const team = await post('/api/v1/teams', { name: 'Mail', memberIds: [desk.user.id, onCall.user.id] });
  serviceId = (await post('/api/v1/services', { name: 'E-mail', ownerTeamId: team.id })).id;
  await post('/api/v1/escalation-policies', {
    name: 'Mail P1',
    levels: [{ targets: [{ type: 'user', id: onCall.user.id }], timeoutMinutes: 5 }],
    repeat: 0,
    teamIds: [team.id],
  });
});
afterAll(() => t.close());

const sweep = () => runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const report = (who: TestUser, title: string) => reportTicketViaApi(t, who, { title, serviceId, impact: 1, urgency: 1 });
const pagesOf = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/pages`, headers: desk.headers })).items as {
    state: string;
    message: string;
  }[];
const setting = (payload: Record<string, unknown>, who: TestUser = admin) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/settings/requester-p1-paging', headers: who.headers, payload });

describe("paging for a P1 a requester's answers made", () => {
  it('waits for a staff member to confirm it, saying so on the ticket; Confirm pages at once', async () => {
    const ticket = await report(requester, 'Nobody can send mail');
    expect(ticket.priority).toBe(1);
    expect(ticket.pageHeldSince).not.toBeNull();
    expect(await pagesOf(ticket.id)).toEqual([]);
    const timeline = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline`, headers: desk.headers }));
    expect(timeline.items.at(-1)).toMatchObject({ type: 'page_held', internal: true });
    expect(timeline.items.at(-1).body).toContain('waiting for a staff member to confirm the priority');

    const byRequester = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/confirm-priority`,
      headers: requester.headers,
    });
    expect(byRequester.statusCode).toBe(403);
    const confirm = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/confirm-priority`, headers: desk.headers });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(json(confirm).pageHeldSince).toBeNull();
    const pages = await pagesOf(ticket.id);
    expect(pages.map((p) => p.state)).toEqual(['triggered']);
    expect(pages[0].message).toContain('confirmed by Desk Dana');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/confirm-priority`, headers: desk.headers });
    expect(again.statusCode).toBe(409);
  });

  it('pages anyway when nobody confirmed it within the delay', async () => {
    const ticket = await report(requester, 'Mail queue stuck');
    t.clock.advance(14 * MINUTE);
    await sweep();
    expect(await pagesOf(ticket.id)).toEqual([]);
    t.clock.advance(2 * MINUTE);
    await sweep();
    const pages = await pagesOf(ticket.id);
    expect(pages.map((p) => p.state)).toEqual(['triggered']);
    expect(pages[0].message).toMatch(/not confirmed in 1[56] minutes/);
  });

  it('pages at once when monitoring opens an incident on the same service (a corroborating alert)', async () => {
    const ticket = await report(requester, 'Outlook cannot connect');
    await sweep();
    expect(await pagesOf(ticket.id)).toEqual([]);
    const alert = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: desk.headers,
      payload: { title: 'IMAP probe failing', serviceId, impact: 2, urgency: 2, channel: 'alert' },
    });
    expect(alert.statusCode, alert.body).toBe(201);
    await sweep();
    const pages = await pagesOf(ticket.id);
    expect(pages.map((p) => p.state)).toEqual(['triggered']);
    expect(pages[0].message).toContain(`monitoring confirmed it with ${json(alert).number}`);
  });

  it('ends the wait without paging when staff lower the priority', async () => {
    const ticket = await report(requester, 'My mailbox is slow');
    const lowered = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: desk.headers,
      payload: { impact: 3 },
    });
    expect(json(lowered)).toMatchObject({ priority: 3, pageHeldSince: null });
    t.clock.advance(30 * MINUTE);
    await sweep();
    expect(await pagesOf(ticket.id)).toEqual([]);
  });

  it('pages staff-reported P1s at once, as before', async () => {
    const ticket = await report(desk, 'Mail servers down');
    expect(ticket.pageHeldSince).toBeNull();
    expect((await pagesOf(ticket.id)).map((p) => p.state)).toEqual(['triggered']);
  });

  it('is an admin setting: page at once, or wait for staff without a delay; bad delays are refused naming the field', async () => {
    expect((await setting({ waitForStaff: true, pageAfterMinutes: 0 })).statusCode).toBe(400);
    expect(json(await setting({ waitForStaff: true, pageAfterMinutes: 0 })).errors[0].field).toBe('pageAfterMinutes');
    expect((await setting({ waitForStaff: false, pageAfterMinutes: null }, desk)).statusCode).toBe(403);

    expect((await setting({ waitForStaff: false, pageAfterMinutes: null })).statusCode).toBe(200);
    const atOnce = await report(requester, 'Calendar invites fail');
    expect((await pagesOf(atOnce.id)).map((p) => p.state)).toEqual(['triggered']);

    await setting({ waitForStaff: true, pageAfterMinutes: null });
    const waits = await report(requester, 'Shared mailbox gone');
    t.clock.advance(24 * 60 * MINUTE);
    await sweep();
    expect(await pagesOf(waits.id)).toEqual([]);
    const read = json(await t.app.inject({ method: 'GET', url: '/api/v1/settings/requester-p1-paging', headers: desk.headers }));
    expect(read).toEqual({ waitForStaff: true, pageAfterMinutes: null });
  });
});
