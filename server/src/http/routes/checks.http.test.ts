import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../../../core/alerts/check-verdict.js';
import { EMPTY_ERROR_RATE, observeOutcome } from '../../../../core/alerts/error-rate.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { createOutboundGuard } from '../../adapters/outbound-guard.js';
import { networkProber, type Prober } from '../../adapters/prober.js';
import { alerts, checks, integrations, tickets } from '../../db/schema/index.js';
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

/** The loopback services below are allowed explicitly, as an operator would with FIREBREAK_ALLOW_PRIVATE_TARGETS. */
const loopbackProber = networkProber(createOutboundGuard({ allow: ['127.0.0.1'] }));
const sweep = (prober: Prober = loopbackProber) => runDueJobs(t.deps, buildJobRegistry({ ...NO_DELIVERY, prober }), WORKER_OPTIONS);
const create = async (payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/checks', headers: admin.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
};
const results = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${id}/results`, headers: agent.headers })).items;
const getCheck = async (id: string) => json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${id}`, headers: agent.headers }));
const patch = async (id: string, payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/checks/${id}`, headers: admin.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
};
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
    // One failed probe is not yet an outage (failuresBeforeDown defaults to 2).
    expect(await checkAlerts(check.integrationId)).toEqual([]);
    expect(await getCheck(check.id)).toMatchObject({ state: 'failing', consecutiveFailures: 1 });
    t.clock.advance(60_000);
    await sweep();
    expect(await getCheck(check.id)).toMatchObject({ state: 'down', consecutiveFailures: 2 });
    const [failing] = await checkAlerts(check.integrationId);
    expect(failing).toMatchObject({ status: 'firing', action: 'incident', severity: 'critical' });
    expect(failing.summary).toBe('Shop health is down: HTTP 503, expected 2xx or 3xx (2 probes in a row)');
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
    expect(await getCheck(check.id)).toMatchObject({ state: 'up', consecutiveFailures: 0 });
    for (let i = 0; i < 6; i++) {
      t.clock.advance(60_000);
      await sweep();
    }
    const [after] = await t.deps.db.select().from(tickets).where(eq(tickets.id, incident.id));
    expect(after).toMatchObject({ state: 'resolved', resolutionCode: 'resolved_by_monitoring' });
    const history = await results(check.id);
    expect(history.map((r: { ok: boolean }) => r.ok).slice(0, 5)).toEqual([true, false, false, false, true]);
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

  it('refuses targets that are not http(s) URLs or host:port, naming the field', async () => {
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
  });
});

describe('editing, pausing, checking now and deleting', () => {
  it('pauses (no probes while paused) and resumes (a probe at once)', async () => {
    const check = await create({ name: 'Pausable', kind: 'http', target: webUrl });
    const paused = await patch(check.id, { active: false });
    expect(paused).toMatchObject({ active: false, state: 'paused', nextRunAt: null });
    await sweep();
    t.clock.advance(120_000);
    await sweep();
    expect(await results(check.id)).toEqual([]);
    const resumed = await patch(check.id, { active: true });
    expect(resumed).toMatchObject({ active: true, state: 'pending', nextRunAt: t.clock.now().toISOString() });
    await sweep();
    expect(await results(check.id)).toHaveLength(1);
    expect(await getCheck(check.id)).toMatchObject({ state: 'up' });
  });

  it('an edit takes effect at once: the next probe goes to the new target, once, and the cadence continues', async () => {
    const other = createServer((_req, res) => res.writeHead(418).end('teapot'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      behaviour.status = 200;
      const check = await create({ name: 'Editable', kind: 'http', target: webUrl, intervalSeconds: 300 });
      await sweep();
      t.clock.advance(10_000);
      const edited = await patch(check.id, {
        name: 'Teapot',
        target: `http://127.0.0.1:${(other.address() as net.AddressInfo).port}/`,
        expectStatus: 418,
        failuresBeforeDown: 3,
      });
      expect(edited).toMatchObject({ name: 'Teapot', expectStatus: 418, failuresBeforeDown: 3, baseline: { samples: 0 } });
      await sweep();
      expect((await results(check.id)).map((r: { statusCode: number }) => r.statusCode)).toEqual([200, 418]);
      // The run queued for +300 s before the edit is stale: only the new chain probes.
      t.clock.advance(300_000);
      await sweep();
      expect(await results(check.id)).toHaveLength(3);
      const [integration] = await t.deps.db.select().from(integrations).where(eq(integrations.id, check.integrationId));
      expect(integration.name).toBe('Check: Teapot');
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('refuses a bad edit naming the field, and changes nothing', async () => {
    const check = await create({ name: 'Strict', kind: 'http', target: webUrl });
    for (const [payload, field] of [
      [{ kind: 'tcp' }, 'target'],
      [{ target: 'gopher://x/' }, 'target'],
      [{ failuresBeforeDown: 0 }, 'failuresBeforeDown'],
      [{ intervalSeconds: 5 }, 'intervalSeconds'],
      [{ serviceId: '00000000-0000-4000-8000-000000000000' }, 'serviceId'],
      [{ color: 'red' }, 'color'],
    ] as const) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/checks/${check.id}`, headers: admin.headers, payload });
      expect([400, 422], JSON.stringify(payload)).toContain(res.statusCode);
      expect(JSON.stringify(json(res).errors), JSON.stringify(payload)).toContain(field);
    }
    expect(await getCheck(check.id)).toMatchObject({ kind: 'http', target: webUrl, failuresBeforeDown: 2, intervalSeconds: 60 });
    const agentEdit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/checks/${check.id}`,
      headers: agent.headers,
      payload: { name: 'x' },
    });
    expect(agentEdit.statusCode).toBe(403);
  });

  it('"check now" probes at once through the job runner; a paused check refuses it', async () => {
    const check = await create({ name: 'Now', kind: 'http', target: webUrl, intervalSeconds: 3600 });
    await sweep();
    t.clock.advance(5_000);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/checks/${check.id}/run`, headers: agent.headers });
    expect(res.statusCode).toBe(202);
    await sweep();
    expect(await results(check.id)).toHaveLength(2);
    await patch(check.id, { active: false });
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/checks/${check.id}/run`, headers: agent.headers });
    expect(refused.statusCode).toBe(409);
  });

  it('deletes a check with its history and revokes its integration; its alerts stay', async () => {
    behaviour.status = 500;
    const check = await create({ name: 'Doomed', kind: 'http', target: webUrl, failuresBeforeDown: 1 });
    await sweep();
    behaviour.status = 200;
    expect(await checkAlerts(check.integrationId)).toHaveLength(1);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/checks/${check.id}`, headers: admin.headers });
    expect(res.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/checks/${check.id}`, headers: agent.headers });
    expect(gone.statusCode).toBe(404);
    const [integration] = await t.deps.db.select().from(integrations).where(eq(integrations.id, check.integrationId));
    expect(integration.revokedAt).not.toBeNull();
    expect(await checkAlerts(check.integrationId)).toHaveLength(1);
    t.clock.advance(60_000);
    await sweep(); // its queued run finds nothing to probe
  });
});

describe('TCP checks', () => {
  it('passes while the port accepts connections and fails once it is closed', async () => {
    const listener = net.createServer((socket) => socket.end());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    const check = await create({ name: 'DB port', kind: 'tcp', target: `127.0.0.1:${port}`, intervalSeconds: 30, failuresBeforeDown: 1 });
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
    expect(rows[0].labels).toMatchObject({ check_signal: 'drift', drift: 'latency' });
    expect(rows[0].summary).toMatch(/^Drifting is getting slower \(latency drift\): \d+ ms against a usual 1\d\d ms$/);
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

describe('error-rate drift', () => {
  it('intermittent failures record a disturbance, not an incident, and it clears when they stop', async () => {
    // Probe outcomes: 1 in 10 fails (never two in a row, so the check is never down), then all pass.
    let i = 0;
    const scripted: Prober = {
      http: async (): Promise<ProbeOutcome> => {
        const n = i++;
        return n < 40 && n % 10 === 9
          ? { latencyMs: 30, statusCode: 502, body: 'bad gateway', error: null }
          : { latencyMs: 30, statusCode: 200, body: 'ok', error: null };
      },
      tcp: async () => ({ latencyMs: 1, statusCode: null, body: null, error: null }),
    };
    for (const other of json(await t.app.inject({ method: 'GET', url: '/api/v1/checks', headers: agent.headers })).items) {
      await t.app.inject({ method: 'DELETE', url: `/api/v1/checks/${other.id}`, headers: admin.headers });
    }
    const check = await create({ name: 'Flaky', kind: 'http', target: 'http://127.0.0.1:9/never-contacted', intervalSeconds: 60 });
    // A clean history of 300 probes, as core/alerts/error-rate.ts learns it: running 300 probes
    // through the runner would only make this test slow (the pure tests cover the learning).
    let learnt = EMPTY_ERROR_RATE;
    for (let n = 0; n < 300; n++) learnt = observeOutcome(learnt, false).next;
    await t.deps.db.update(checks).set({ errorRate: learnt }).where(eq(checks.id, check.id));

    const drift = async () => (await checkAlerts(check.integrationId)).find((a) => a.fingerprint === `check:${check.id}:error_rate`);
    let raisedAfter: number | null = null;
    for (let n = 0; n < 40; n++) {
      await sweep(scripted);
      t.clock.advance(60_000);
      if (raisedAfter === null && (await drift())) raisedAfter = n;
      expect((await getCheck(check.id)).state).not.toBe('down');
    }
    // Raised at the third failure (probe 29), while 27 of 30 probes still passed.
    expect(raisedAfter).toBe(29);
    const raised = await drift();
    expect(raised).toMatchObject({ action: 'disturbance', status: 'firing', severity: 'warning' });
    expect(raised?.labels).toMatchObject({ check_signal: 'drift', drift: 'error_rate' });
    expect(raised?.summary).toBe(
      'Flaky is failing more often than usual (error-rate drift): 3 of the last 30 probes failed, against a usual 0.0 %',
    );
    const [dst] = await t.deps.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, raised?.ticketId as string));
    expect(dst).toMatchObject({ kind: 'disturbance', title: raised?.summary });
    expect((await checkAlerts(check.integrationId)).filter((a) => a.fingerprint.endsWith(':status'))).toEqual([]);
    expect((await getCheck(check.id)).errorRate).toMatchObject({ drifting: true, recentProbes: 30, recentFailures: 3 });

    for (let n = 0; n < 40; n++) {
      await sweep(scripted);
      t.clock.advance(60_000);
    }
    expect(await drift()).toMatchObject({ status: 'resolved', summary: 'Flaky error rate is back to normal' });
    expect((await getCheck(check.id)).errorRate.drifting).toBe(false);
  }, 120_000);
});
