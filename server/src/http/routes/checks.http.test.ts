import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../../../core/alerts/check-verdict.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import type { Prober } from '../../adapters/prober.js';
import { alerts, tickets } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let web: Server;
let webUrl: string;
/** What the loopback service answers right now. */
const behaviour = { status: 200, body: 'status: ok' };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  web = createServer((_req, res) => res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.body));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webUrl = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/health`;
});
afterAll(async () => {
  await new Promise((r) => web.close(r));
  await t.close();
});

const sweep = (prober?: Prober) => runDueJobs(t.deps, buildJobRegistry({ ...NO_DELIVERY, prober }), WORKER_OPTIONS);
const create = async (payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/checks', headers: admin.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
};
const results = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${id}/results`, headers: agent.headers })).items;
const checkAlerts = (integrationId: string) => t.deps.db.select().from(alerts).where(eq(alerts.integrationId, integrationId));

async function service() {
  const team = json(
    await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: `Web ${Math.random()}` } }),
  );
  return json(
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/services',
      headers: admin.headers,
      payload: { name: `Shop ${Math.random()}`, ownerTeamId: team.id },
    }),
  );
}

describe('HTTP checks against a real loopback server', () => {
  it('records history; a failure opens an incident for the service; recovery resolves it', async () => {
    const shop = await service();
    const check = await create({
      name: 'Shop health',
      serviceId: shop.id,
      kind: 'http',
      target: webUrl,
      intervalSeconds: 60,
      keyword: 'ok',
    });
    behaviour.status = 200;
    await sweep();
    expect(await results(check.id)).toEqual([expect.objectContaining({ ok: true, statusCode: 200, error: null })]);
    expect(await checkAlerts(check.integrationId)).toEqual([]);

    behaviour.status = 503;
    t.clock.advance(60_000);
    await sweep();
    const [failing] = await checkAlerts(check.integrationId);
    expect(failing).toMatchObject({ status: 'firing', action: 'incident', severity: 'critical' });
    expect(failing.summary).toContain('HTTP 503');
    const [incident] = await t.deps.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, failing.ticketId as string));
    expect(incident).toMatchObject({ kind: 'incident', channel: 'alert', serviceId: shop.id, urgency: 1, state: 'new' });

    behaviour.status = 200;
    behaviour.body = 'maintenance page';
    t.clock.advance(60_000);
    await sweep();
    expect((await results(check.id)).at(-1)).toMatchObject({ ok: false, error: 'the response does not contain "ok"' });

    behaviour.body = 'status: ok';
    t.clock.advance(60_000);
    await sweep();
    expect((await checkAlerts(check.integrationId))[0].status).toBe('resolved');
    for (let i = 0; i < 6; i++) {
      t.clock.advance(60_000);
      await sweep();
    }
    const [after] = await t.deps.db.select().from(tickets).where(eq(tickets.id, incident.id));
    expect(after).toMatchObject({ state: 'resolved', resolutionCode: 'resolved_by_monitoring' });
    const history = await results(check.id);
    expect(history.map((r: { ok: boolean }) => r.ok).slice(0, 4)).toEqual([true, false, false, true]);
    expect(history.every((r: { latencyMs: number }) => r.latencyMs >= 0)).toBe(true);
  });

  it('fails a response slower than maxLatencyMs', async () => {
    const slow = createServer((_req, res) => setTimeout(() => res.end('ok'), 50));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const check = await create({
        name: 'Slow',
        kind: 'http',
        target: `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}/`,
        maxLatencyMs: 10,
      });
      await sweep();
      expect((await results(check.id))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/slower than the 10 ms allowed/) });
    } finally {
      await new Promise((r) => slow.close(r));
    }
  });

  it('refuses targets that are not http(s) URLs or host:port, naming the field; stops a check', async () => {
    for (const [kind, target] of [
      ['http', 'ftp://example.test/'],
      ['http', 'not a url'],
      ['tcp', 'db.example.test'],
      ['tcp', 'db.example.test:99999'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: admin.headers,
        payload: { name: 'x', kind, target },
      });
      expect(res.statusCode, target).toBe(400);
      expect(json(res).errors).toEqual([expect.objectContaining({ field: 'target' })]);
    }
    const check = await create({ name: 'Stopped', kind: 'http', target: webUrl });
    const stopped = await t.app.inject({ method: 'DELETE', url: `/api/v1/checks/${check.id}`, headers: admin.headers });
    expect(json(stopped).active).toBe(false);
    await sweep();
    expect(await results(check.id)).toEqual([]);
  });
});

describe('TCP checks', () => {
  it('passes while the port accepts connections and fails once it is closed', async () => {
    const listener = net.createServer((socket) => socket.end());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    const check = await create({ name: 'DB port', kind: 'tcp', target: `127.0.0.1:${port}`, intervalSeconds: 30 });
    await sweep();
    await new Promise((r) => listener.close(r));
    t.clock.advance(30_000);
    await sweep();
    expect((await results(check.id)).map((r: { ok: boolean; error: string | null }) => [r.ok, r.error])).toEqual([
      [true, null],
      [false, 'ECONNREFUSED'],
    ]);
    expect((await checkAlerts(check.integrationId))[0]).toMatchObject({ status: 'firing', action: 'incident' });
  });
});

describe('latency drift', () => {
  it('records a disturbance while the service is still answering, before it fails', async () => {
    // Latencies as a probe would measure them: steady, then creeping (see core/alerts/baseline.test.ts).
    const series = [...Array.from({ length: 40 }, (_, i) => 120 + ((i * 7) % 9) - 4), 131, 138, 149, 163, 181, 204, 236, 271, 315, 362];
    let i = 0;
    const scripted: Prober = {
      http: async (): Promise<ProbeOutcome> => ({
        latencyMs: series[Math.min(i++, series.length - 1)],
        statusCode: 200,
        body: 'ok',
        error: null,
      }),
      tcp: async () => ({ latencyMs: 1, statusCode: null, body: null, error: null }),
    };
    // Only this check runs from here on.
    for (const other of json(await t.app.inject({ method: 'GET', url: '/api/v1/checks', headers: agent.headers })).items) {
      await t.app.inject({ method: 'DELETE', url: `/api/v1/checks/${other.id}`, headers: admin.headers });
    }
    const check = await create({ name: 'Drifting', kind: 'http', target: 'http://127.0.0.1:9/never-contacted', intervalSeconds: 60 });
    for (let n = 0; n < series.length; n++) {
      await sweep(scripted);
      t.clock.advance(60_000);
    }
    const rows = await checkAlerts(check.integrationId);
    expect(rows).toEqual([expect.objectContaining({ action: 'disturbance', status: 'firing', fingerprint: `check:${check.id}:drift` })]);
    const [dst] = await t.deps.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, rows[0].ticketId as string));
    expect(dst.kind).toBe('disturbance');
    expect(dst.number).toMatch(/^DST/);
    expect((await results(check.id)).every((r: { ok: boolean }) => r.ok)).toBe(true); // not one failure yet
    const listed = json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${check.id}`, headers: agent.headers }));
    expect(listed.baseline).toMatchObject({ drifting: true, samples: series.length });
  });
});
