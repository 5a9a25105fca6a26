import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let vpnId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  const vpn = await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: admin.headers, payload: { name: 'VPN' } });
  vpnId = json(vpn).id;
});
afterAll(() => t.close());

async function detect() {
  t.clock.advance(1_000);
  await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
}

const post = (who: TestUser, url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...who.headers, ...headers }, ...(payload === undefined ? {} : { payload }) });

describe('storm proposals through the API', () => {
  it('shows the proposal to the desk; a dismissal needs a reason, a stale one is 412, and nothing changes on bad input', async () => {
    for (const title of ['VPN down', 'VPN is not connecting', 'no VPN from home', 'VPN broken', 'vpn keeps dropping']) {
      await reportTicketViaApi(t, requester, { title, serviceId: vpnId });
    }
    await detect();
    const open = json(await t.app.inject({ method: 'GET', url: '/api/v1/storm-proposals?status=open', headers: agent.headers }));
    expect(open.items).toHaveLength(1);
    const proposal = open.items[0];
    expect(proposal).toMatchObject({ status: 'open', reportCount: 5, alertCount: 0, service: { id: vpnId, name: 'VPN' }, version: 1 });
    expect(proposal.headline).toBe('5 reports on VPN in 1 minute — declare a major incident?');
    const url = `/api/v1/storm-proposals/${proposal.id}`;

    const noReason = await post(agent, `${url}/dismiss`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.headers['content-type']).toContain('application/problem+json');
    expect(json(noReason).errors[0]).toMatchObject({ field: 'reason' });
    const stale = await post(agent, `${url}/dismiss`, { reason: 'maintenance' }, { 'if-match': '"9"' });
    expect(stale.statusCode).toBe(412);
    const one = await t.app.inject({ method: 'GET', url, headers: agent.headers });
    expect(json(one)).toMatchObject({ status: 'open', version: 1 });
    expect(one.headers.etag).toBe('"1"');

    const declared = await post(agent, `${url}/declare`, undefined, { 'if-match': '"1"' });
    expect(declared.statusCode).toBe(200);
    expect(json(declared).proposal).toMatchObject({ status: 'declared', decidedBy: { id: agent.user.id } });
    const incident = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${json(declared).incidentId}`, headers: agent.headers }),
    );
    expect(incident).toMatchObject({ scope: 'global', kind: 'incident' });

    const again = await post(agent, `${url}/dismiss`, { reason: 'too late' });
    expect(again.statusCode).toBe(409);
    expect(json(again).detail).toMatch(/already declared/);
  });

  it('validates the settings and the per-service policy, naming the field', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/storm-detection',
      headers: admin.headers,
      payload: { windowMinutes: 10, threshold: 1, similarity: 0.3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('threshold');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/settings/storm-detection', headers: agent.headers }))).toEqual({
      windowMinutes: 10,
      threshold: 5,
      similarity: 0.3,
    });
    const good = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/storm-detection',
      headers: admin.headers,
      payload: { windowMinutes: 5, threshold: 8, similarity: 0.4 },
    });
    expect(json(good)).toEqual({ windowMinutes: 5, threshold: 8, similarity: 0.4 });

    const policy = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/services/${vpnId}/storm-policy`,
      headers: admin.headers,
      payload: { declareByPolicy: true },
    });
    expect(json(policy)).toEqual({ serviceId: vpnId, declareByPolicy: true });
    // The admin page lists every service with its policy; the desk does not set them up.
    const policies = await t.app.inject({ method: 'GET', url: '/api/v1/settings/storm-policies', headers: admin.headers });
    expect(json(policies).items).toContainEqual({ serviceId: vpnId, serviceName: expect.any(String), declareByPolicy: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/settings/storm-policies', headers: agent.headers })).statusCode).toBe(403);
    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/services/00000000-0000-4000-8000-000000000000/storm-policy',
      headers: admin.headers,
      payload: { declareByPolicy: true },
    });
    expect(missing.statusCode).toBe(404);
  });
});
