import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let rita: TestUser;
let sam: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent');
  rita = await t.user('requester', { name: 'Rita' });
  sam = await t.user('requester', { name: 'Sam' });
});
afterAll(() => t.close());

const post = (url: string, who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: who.headers, payload });
const follow = (id: string, who: TestUser) => t.app.inject({ method: 'PUT', url: `/api/v1/tickets/${id}/follow`, headers: who.headers });
const bell = async (who: TestUser) =>
  json<{ items: { reason: string; text: string; ticketId: string }[] }>(
    await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: who.headers }),
  ).items;

async function ticket(who: TestUser, scope: 'global' | 'local', title: string, extra: Record<string, unknown> = {}) {
  const res = await post('/api/v1/tickets', who, { kind: 'incident', title, description: '', impact: 1, urgency: 1, scope, ...extra });
  expect(res.statusCode).toBe(201);
  return json<{ id: string; number: string; version: number }>(res);
}

describe('following a known issue', () => {
  it('lets anyone follow a known issue; they hear of its public updates and its resolution, never its work notes', async () => {
    const outage = await ticket(agent, 'global', 'VPN is down for everyone');
    expect((await follow(outage.id, rita)).statusCode).toBe(204);
    expect((await follow(outage.id, rita)).statusCode).toBe(204); // following again changes nothing
    const followed = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/followed-tickets', headers: rita.headers })).items;
    expect(followed).toEqual([expect.objectContaining({ id: outage.id, number: outage.number, state: 'new' })]);

    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'Suspect the gateway', visibility: 'internal' });
    expect(await bell(rita)).toEqual([]);
    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'We found the cause; a fix is on its way.', visibility: 'public' });
    expect((await bell(rita)).map((n) => [n.reason, n.ticketId])).toEqual([['followed_update', outage.id]]);
    expect((await bell(rita))[0].text).toContain('An update on a problem you follow');

    const resolved = await post(`/api/v1/tickets/${outage.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Gateway replaced.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await bell(rita)).map((n) => n.reason)).toEqual(['followed_resolved', 'followed_update']);
    expect(await bell(sam)).toEqual([]); // not following: nothing
  });

  it('stops when they unfollow', async () => {
    const outage = await ticket(agent, 'global', 'Payroll is slow');
    await follow(outage.id, sam);
    const stop = await t.app.inject({ method: 'DELETE', url: `/api/v1/tickets/${outage.id}/follow`, headers: sam.headers });
    expect(stop.statusCode).toBe(204);
    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'Looking into it.', visibility: 'public' });
    expect((await bell(sam)).filter((n) => n.ticketId === outage.id)).toEqual([]);
    const followed = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/followed-tickets', headers: sam.headers })).items;
    expect(followed.map((f: { id: string }) => f.id)).not.toContain(outage.id);
  });

  it("refuses a requester someone else's ticket that is not a known issue (404, as if it did not exist), and records nothing", async () => {
    const private_ = await ticket(rita, 'local', 'My laptop fan is loud');
    const res = await follow(private_.id, sam);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const followed = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/followed-tickets', headers: sam.headers })).items;
    expect(followed.map((f: { id: string }) => f.id)).not.toContain(private_.id);
    // Staff may follow any ticket.
    expect((await follow(private_.id, agent)).statusCode).toBe(204);
  });

  it("never passes a requester's own words to followers or to the known-issue list; the desk's update reaches both", async () => {
    // Rita reported it (only the desk may make it a known issue: issue 11, finding 3).
    const outage = await ticket(agent, 'global', 'Printers on floor 2 are all down', { requesterId: rita.user.id });
    await follow(outage.id, sam);
    await post(`/api/v1/tickets/${outage.id}/comments`, rita, { body: 'My manager Jo is furious about this.', visibility: 'public' });
    expect((await bell(sam)).filter((n) => n.ticketId === outage.id)).toEqual([]);
    const known = async () =>
      json(await t.app.inject({ method: 'GET', url: '/api/v1/known-issues', headers: sam.headers })).items.find(
        (i: { id: string }) => i.id === outage.id,
      );
    expect((await known()).latestUpdate).toBeNull();
    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'A technician is on the way.', visibility: 'public' });
    expect((await bell(sam)).filter((n) => n.ticketId === outage.id).map((n) => n.reason)).toEqual(['followed_update']);
    expect((await known()).latestUpdate).toMatchObject({ body: 'A technician is on the way.' });
  });
});
