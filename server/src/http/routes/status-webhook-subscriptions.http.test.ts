import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { type HttpReceiver, startHttpReceiver } from '../../../test/http-receiver.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { createOutboundGuard } from '../../adapters/outbound-guard.js';
import { httpWebhookSender, signWebhook } from '../../adapters/webhook-sender.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

/** Webhook subscribers of the status page (issue 15 #3): who may manage them, and what they receive, signed. */
let t: TestApp;
let receiver: HttpReceiver;
let admin: TestUser;
let manager: TestUser;
let agent: TestUser;
let requester: TestUser;
let vpn: string;
let printing: string;

beforeAll(async () => {
  t = await createTestApp();
  receiver = await startHttpReceiver();
  admin = await t.user('admin');
  manager = await t.user('manager');
  agent = await t.user('agent');
  requester = await t.user('requester');
  const made = async (name: string) =>
    json(await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: admin.headers, payload: { name, onStatusPage: true } })).id;
  vpn = await made('VPN');
  printing = await made('Printing');
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

const URL_ = '/api/v1/status-page/webhook-subscriptions';
const create = (who: TestUser | null, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: URL_, ...(who ? { headers: who.headers } : {}), payload });

async function drain() {
  const webhooks = httpWebhookSender({ timeoutMs: 5000, now: () => t.clock.now(), guard: createOutboundGuard({ allow: ['127.0.0.1'] }) });
  const registry = buildJobRegistry({ mail: { ...NO_DELIVERY.mail, webhooks } });
  for (let i = 0; i < 20; i += 1) if ((await runDueJobs(t.deps, registry, WORKER_OPTIONS)).claimed === 0) return;
}

describe('webhook subscriptions of the status page', () => {
  it('only managers and admins manage them: anonymous 401, requesters and agents 403, and nothing is made', async () => {
    const body = { name: 'Ops chat', url: receiver.url, components: [vpn] };
    expect((await create(null, body)).statusCode).toBe(401);
    for (const who of [requester, agent]) {
      const res = await create(who, body);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await t.app.inject({ method: 'GET', url: URL_, headers: who.headers })).statusCode).toBe(403);
    }
    expect(json(await t.app.inject({ method: 'GET', url: URL_, headers: admin.headers })).items).toEqual([]);
  });

  it('refuses bad input naming the field: a non-http URL, a component not on the page, the same URL twice', async () => {
    const ftp = await create(manager, { name: 'x', url: 'ftp://example.org/hook' });
    expect(ftp.statusCode).toBe(400);
    expect(json(ftp).errors[0].field).toBe('url');
    const unknown = await create(manager, { name: 'x', url: receiver.url, components: ['6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b'] });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).errors).toEqual([{ field: 'components', message: 'names a service that is not on the status page' }]);
  });

  it('a manager adds one (its secret shown once), agents see the counts, and news on its component arrives signed', async () => {
    const res = await create(manager, { name: 'Ops chat', url: receiver.url, components: [vpn] });
    expect(res.statusCode, res.body).toBe(201);
    const { id, secret } = json(res);
    expect(secret).toMatch(/^fbs_/);
    expect(json(await t.app.inject({ method: 'GET', url: URL_, headers: manager.headers })).items).toEqual([
      { id, name: 'Ops chat', url: receiver.url, componentIds: [vpn], createdAt: expect.any(String) },
    ]);
    expect((await create(admin, { name: 'again', url: receiver.url })).statusCode).toBe(409);

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/status-page/subscribers', headers: requester.headers })).statusCode).toBe(
      403,
    );
    const counts = json(await t.app.inject({ method: 'GET', url: '/api/v1/status-page/subscribers', headers: agent.headers }));
    expect(counts.components).toEqual([
      { componentId: printing, name: 'Printing', email: 0, webhook: 0 },
      { componentId: vpn, name: 'VPN', email: 0, webhook: 1 },
    ]);

    const incident = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: { kind: 'incident', title: 'VPN down', impact: 1, urgency: 2, scope: 'global', serviceId: vpn },
    });
    const ticketId = json(incident).id;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: { kind: 'incident', title: 'Printers out', impact: 1, urgency: 2, scope: 'global', serviceId: printing },
    });
    // The automatic start notice waits (the status page's first-notice delay, 5 minutes by default),
    // in case the desk writes its own first update; nobody did, so it goes out then, and only for VPN.
    await drain();
    expect(receiver.received).toEqual([]);
    t.clock.advance(5 * 60_000);
    await drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['incident.started']);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/comments`,
      headers: agent.headers,
      payload: { body: 'Gateway restarted', visibility: 'public' },
    });
    await drain();
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type)).toEqual(['incident.started', 'incident.update']);
    expect(bodies.find((b) => b.type === 'incident.update')).toMatchObject({
      announcement: { body: 'Update: VPN down\n\nGateway restarted\n\nAffects: VPN' },
      componentIds: [vpn],
    });
    for (const r of receiver.received) {
      const timestamp = String(r.headers['x-firebreak-timestamp']);
      expect(r.headers['x-firebreak-signature']).toBe(signWebhook(secret, timestamp, r.body));
    }

    expect((await t.app.inject({ method: 'DELETE', url: `${URL_}/${id}`, headers: agent.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `${URL_}/${id}`, headers: manager.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `${URL_}/${id}`, headers: manager.headers })).statusCode).toBe(404);
  });
});
