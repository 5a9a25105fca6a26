import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_SOURCES } from '../../../../core/vocabulary.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { sha256 } from '../../adapters/secrets.js';
import { alerts, integrations, tickets } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
});
afterAll(() => t.close());

const sweep = () => runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const minutes = (n: number) => t.clock.advance(n * 60_000);

async function integration(body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: admin.headers, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  const created = json(res);
  const send = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: created.alertsPath,
      headers: { authorization: `Bearer ${created.token}`, ...headers },
      payload: payload as Record<string, unknown>,
    });
  return { ...created, send } as { id: string; token: string; alertsPath: string; userId: string; send: typeof send };
}

/** An Alertmanager v4 webhook for these alerts (labels), all with one status. */
function am(status: 'firing' | 'resolved', ...labelSets: Record<string, string>[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="x"}',
    status,
    receiver: 'firebreak',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local:9093',
    alerts: labelSets.map((labels) => ({
      status,
      labels,
      annotations: { summary: `${labels.alertname} on ${labels.instance ?? labels.service}` },
      startsAt: '2026-03-02T07:59:00Z',
      endsAt: status === 'resolved' ? '2026-03-02T08:01:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.local:9090/graph',
    })),
  };
}

const getTicket = async (id: string) => json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent.headers }));
const timeline = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/timeline?limit=200`, headers: agent.headers })).items as {
    type: string;
    body: string | null;
    data: Record<string, unknown> | null;
  }[];

describe('integrations (admin)', () => {
  it('shows the token once, stores only its SHA-256, and lists without it', async () => {
    const created = await integration({ name: 'Prometheus prod', source: 'alertmanager' });
    expect(created.token).toMatch(/^fbi_/);
    expect((created as unknown as { exampleCurl: string }).exampleCurl).toContain(`Authorization: Bearer ${created.token}`);
    const [row] = await t.deps.db.select().from(integrations).where(eq(integrations.id, created.id));
    expect(row.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/integrations', headers: admin.headers });
    expect(list.body).not.toContain(created.token);
    expect(json(list).items.map((i: { id: string }) => i.id)).toContain(created.id);
  });

  it('refuses rules naming a service that does not exist, naming the rule', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: admin.headers,
      payload: { name: 'x', source: 'generic', rules: [{ action: 'incident', serviceId: randomUUID() }] },
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors).toEqual([expect.objectContaining({ field: 'rules.0.serviceId' })]);
  });

  it('refuses agents and managers (403), and people cannot post alerts with their own tokens (401)', async () => {
    const manager = await t.user('manager');
    for (const who of [agent, manager]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/integrations',
        headers: who.headers,
        payload: { name: 'x', source: 'generic' },
      });
      expect(res.statusCode).toBe(403);
    }
    const it1 = await integration({ name: 'Generic', source: 'generic' });
    for (const who of [agent, admin]) {
      const res = await t.app.inject({ method: 'POST', url: it1.alertsPath, headers: who.headers, payload: { summary: 'x' } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await t.deps.db.$count(alerts, eq(alerts.integrationId, it1.id))).toBe(0);
  });
});

describe('ingestion: authentication and bad input', () => {
  it('refuses a rules edit made on a stale version (412, nothing overwritten), and takes it on the current one', async () => {
    const created = await integration({ name: 'Two admins', source: 'generic' });
    const url = `/api/v1/integrations/${created.id}`;
    const read = await t.app.inject({ method: 'GET', url, headers: admin.headers });
    expect(read.headers.etag).toBe('"1"');
    const first = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...admin.headers, 'if-match': '"1"' },
      payload: { rules: [{ action: 'ignore', match: { severity: ['info'] } }] },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const second = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...admin.headers, 'if-match': '"1"' },
      payload: { rules: [{ action: 'disturbance' }] },
    });
    expect(second.statusCode).toBe(412);
    expect(json(second).detail).toMatch(/changed by someone else/);
    const now = json(await t.app.inject({ method: 'GET', url, headers: admin.headers }));
    expect(now.rules).toEqual([expect.objectContaining({ action: 'ignore' })]);
    expect(now.version).toBe(2);
    const retried = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...admin.headers, 'if-match': '"2"' },
      payload: { rules: [{ action: 'disturbance' }] },
    });
    expect(retried.statusCode).toBe(200);
    expect(json(retried).version).toBe(3);
  });

  it("401 for an unknown token, a revoked one, and another integration's token on this path", async () => {
    const a = await integration({ name: 'A', source: 'generic' });
    const b = await integration({ name: 'B', source: 'generic' });
    const unknown = await a.send({ summary: 'x' }, { authorization: 'Bearer fbi_not-a-real-token-at-all' });
    expect(unknown.statusCode).toBe(401);
    const crossed = await t.app.inject({
      method: 'POST',
      url: a.alertsPath,
      headers: { authorization: `Bearer ${b.token}` },
      payload: { summary: 'x' },
    });
    expect(crossed.statusCode).toBe(401);
    expect((await a.send({ summary: 'works' })).statusCode).toBe(202);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/integrations/${a.id}`, headers: admin.headers });
    expect(json(revoke).active).toBe(false);
    const revoked = await a.send({ summary: 'after revoke' });
    expect(revoked.statusCode).toBe(401);
    expect(await t.deps.db.$count(alerts, eq(alerts.integrationId, a.id))).toBe(1);
  });

  it('refuses a replaced token at once, though it was just recognised, and takes the new one', async () => {
    const a = await integration({ name: 'Rotating', source: 'generic' });
    expect((await a.send({ summary: 'before', fingerprint: 'r1' })).statusCode).toBe(202);
    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/integrations/${a.id}/token`, headers: admin.headers });
    expect(rotated.statusCode).toBe(200);
    const old = await a.send({ summary: 'with the old token', fingerprint: 'r2' });
    expect(old.statusCode).toBe(401);
    expect(json(old).detail).toMatch(/revoked or replaced/);
    const fresh = await a.send({ summary: 'with the new token', fingerprint: 'r3' }, { authorization: `Bearer ${json(rotated).token}` });
    expect(fresh.statusCode).toBe(202);
    const stored = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, a.id));
    expect(stored.map((r) => r.fingerprint).sort()).toEqual(['r1', 'r3']);
  });

  it('400 problem+json for malformed JSON and for a payload of the wrong source, naming what is wrong', async () => {
    const prom = await integration({ name: 'Prom', source: 'alertmanager' });
    const malformed = await t.app.inject({
      method: 'POST',
      url: prom.alertsPath,
      headers: { authorization: `Bearer ${prom.token}`, 'content-type': 'application/json' },
      payload: '{"alerts": [',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    const wrong = await prom.send({ event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'info' } });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).errors[0]).toEqual({
      field: 'body',
      message: 'looks like a pagerduty payload, but this integration expects alertmanager',
    });
    expect(json(wrong).errors).toContainEqual(expect.objectContaining({ field: 'alerts' }));
  });

  it('413 for an oversize payload', async () => {
    const small = await createTestApp({ bodyLimitBytes: 4096 });
    try {
      const adminSmall = await small.user('admin');
      const created = json(
        await small.app.inject({
          method: 'POST',
          url: '/api/v1/integrations',
          headers: adminSmall.headers,
          payload: { name: 'x', source: 'generic' },
        }),
      );
      const res = await small.app.inject({
        method: 'POST',
        url: created.alertsPath,
        headers: { authorization: `Bearer ${created.token}` },
        payload: { summary: 'x'.repeat(10_000) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      await small.close();
    }
  });

  it('never answers 5xx, whatever JSON arrives, for any source', async () => {
    const bySource = Object.fromEntries(
      await Promise.all(ALERT_SOURCES.map(async (source) => [source, await integration({ name: `fuzz ${source}`, source })] as const)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALERT_SOURCES), fc.jsonValue({ maxDepth: 4 }), async (source, body) => {
        const res = await bySource[source].send(body);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});

describe('deduplication and grouping', () => {
  it('makes 100 deliveries of one alert one alert with a counter and one incident', async () => {
    const prom = await integration({ name: 'Burst', source: 'alertmanager' });
    const payload = am('firing', { alertname: 'DiskFull', service: 'db', instance: 'db1' });
    for (let i = 0; i < 100; i++) expect((await prom.send(payload)).statusCode).toBe(202);
    const rows = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].count).toBe(100);
    const incident = await getTicket(rows[0].ticketId as string);
    expect(incident).toMatchObject({ kind: 'incident', channel: 'alert', state: 'new' });
    expect(incident.number).toMatch(/^INC\d{7}$/);
    // The ticket's history has one alert event, not 100.
    expect((await timeline(incident.id)).filter((e) => e.type === 'alert')).toHaveLength(1);
    const listed = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${incident.id}/alerts`, headers: agent.headers }));
    expect(listed.items).toEqual([
      expect.objectContaining({ count: 100, status: 'firing', fingerprint: rows[0].fingerprint, ticketNumber: incident.number }),
    ]);
  });

  it('with no rules, takes the urgency from the severity: a critical alert opens an urgent incident, a warning a medium one', async () => {
    const gen = await integration({ name: 'No rules', source: 'generic' });
    const critical = json(
      await gen.send({ summary: 'Payments down', fingerprint: 'u1', severity: 'critical', labels: { service: 'pay' } }),
    );
    const warning = json(await gen.send({ summary: 'Disk 80 %', fingerprint: 'u2', severity: 'warning', labels: { service: 'disk' } }));
    expect(await getTicket(critical.alerts[0].ticketId)).toMatchObject({ impact: 2, urgency: 1 });
    expect(await getTicket(warning.alerts[0].ticketId)).toMatchObject({ impact: 2, urgency: 2 });
  });

  it('makes concurrent deliveries of one new alert one row and one ticket', async () => {
    const prom = await integration({ name: 'Race', source: 'alertmanager' });
    const payload = am('firing', { alertname: 'Race', service: 'api', instance: 'i1' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => prom.send(payload)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(202));
    const rows = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].count).toBe(12);
    expect(new Set(answers.map((a) => json(a).alerts[0].ticketId))).toEqual(new Set([rows[0].ticketId]));
  });

  it('makes concurrent new alerts of one group one ticket', async () => {
    const prom = await integration({ name: 'Group race', source: 'alertmanager' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => prom.send(am('firing', { alertname: 'Down', service: 'web', instance: `w${i}` }))),
    );
    expect(new Set(answers.map((a) => json(a).alerts[0].ticketId)).size).toBe(1);
  });

  it('takes a burst in one delivery as one: new alerts of a group share one ticket and one timeline event, repeats fold into counters', async () => {
    const prom = await integration({ name: 'Burst in one', source: 'alertmanager' });
    const labels = (i: number) => ({ alertname: 'NodeDown', service: 'web', instance: `web-${i}` });
    // 50 machines, the first five reported twice within the same delivery.
    const sets = [...Array.from({ length: 50 }, (_, i) => labels(i)), ...Array.from({ length: 5 }, (_, i) => labels(i))];
    const res = await prom.send(am('firing', ...sets));
    expect(res.statusCode, res.body).toBe(202);
    const answered = json(res).alerts as { id: string; count: number; ticketId: string }[];
    expect(answered).toHaveLength(55);
    // Each delivery answers with the counter as it stood after it: 1 for the first, 2 for the repeat.
    expect(answered[0].count).toBe(1);
    expect(answered[50].count).toBe(2);
    expect(answered[50].id).toBe(answered[0].id);
    expect(new Set(answered.map((a) => a.ticketId)).size).toBe(1);

    const rows = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(rows).toHaveLength(50);
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(55);
    const events = (await timeline(answered[0].ticketId)).filter((e) => e.type === 'alert');
    expect(events).toHaveLength(1);
    expect(events[0].body).toMatch(/^50 alerts fired: NodeDown on web-\d+; .*; and 45 more$/);
    expect(events[0].data).toMatchObject({ status: 'firing', alerts: 50 });

    // The same burst again: counters only, no new ticket, no new event.
    expect((await prom.send(am('firing', ...sets))).statusCode).toBe(202);
    const again = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(again.reduce((sum, r) => sum + r.count, 0)).toBe(110);
    expect((await timeline(answered[0].ticketId)).filter((e) => e.type === 'alert')).toHaveLength(1);
  });

  it('applies an alert that fires, resolves and fires again within one delivery in order', async () => {
    const gen = await integration({ name: 'Flap in one', source: 'generic' });
    const res = await gen.send({
      alerts: [
        { summary: 'Queue stuck', fingerprint: 'flap-1', status: 'firing' },
        { summary: 'Queue stuck', fingerprint: 'flap-1', status: 'resolved' },
        { summary: 'Queue stuck', fingerprint: 'flap-1', status: 'firing' },
      ],
    });
    expect(res.statusCode, res.body).toBe(202);
    expect((json(res).alerts as { count: number }[]).map((a) => a.count)).toEqual([1, 2, 3]);
    const [row] = await t.deps.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.integrationId, gen.id), eq(alerts.fingerprint, 'flap-1')));
    expect(row).toMatchObject({ status: 'firing', count: 3, refireCount: 1, resolvedAt: null });
    const events = (await timeline(row.ticketId as string)).filter((e) => e.type === 'alert').map((e) => e.body);
    expect(events).toEqual(['Alert fired: Queue stuck', 'Alert resolved: Queue stuck', 'Alert fired again: Queue stuck']);
  });

  it('keeps every delivery when concurrent deliveries overlap: exact counters, one ticket per group', async () => {
    const prom = await integration({ name: 'Overlap', source: 'alertmanager' });
    // 8 deliveries of 40 alerts over 60 fingerprints in 3 groups, all in flight at once.
    const delivery = (d: number) =>
      am(
        'firing',
        ...Array.from({ length: 40 }, (_, i) => {
          const n = (d * 40 + i) % 60;
          return { alertname: `Overlap${n % 3}`, service: 'api', instance: `i-${n}` };
        }),
      );
    const answers = await Promise.all(Array.from({ length: 8 }, (_, d) => prom.send(delivery(d))));
    for (const a of answers) expect(a.statusCode, a.body).toBe(202);
    const rows = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(rows).toHaveLength(60);
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(320);
    const ticketsPerGroup = new Map<string, Set<string | null>>();
    for (const r of rows) ticketsPerGroup.set(r.groupKey, (ticketsPerGroup.get(r.groupKey) ?? new Set()).add(r.ticketId));
    expect(ticketsPerGroup.size).toBe(3);
    for (const ids of ticketsPerGroup.values()) expect([...ids].every((id) => id !== null) && ids.size === 1).toBe(true);
  });

  it('groups the same alertname and service within 5 minutes onto one ticket, and not other services or later', async () => {
    const prom = await integration({ name: 'Grouping', source: 'alertmanager' });
    const first = json(await prom.send(am('firing', { alertname: 'HighLatency', service: 'checkout', instance: 'a' }))).alerts[0];
    minutes(2);
    const second = json(await prom.send(am('firing', { alertname: 'HighLatency', service: 'checkout', instance: 'b' }))).alerts[0];
    const other = json(await prom.send(am('firing', { alertname: 'HighLatency', service: 'payments', instance: 'a' }))).alerts[0];
    expect(second.ticketId).toBe(first.ticketId);
    expect(other.ticketId).not.toBe(first.ticketId);
    minutes(10);
    const later = json(await prom.send(am('firing', { alertname: 'HighLatency', service: 'checkout', instance: 'c' }))).alerts[0];
    expect(later.ticketId).not.toBe(first.ticketId);
  });
});

describe('resolving', () => {
  it('resolves the incident when all its alerts stayed resolved for the delay, with a note', async () => {
    const prom = await integration({ name: 'Resolver', source: 'alertmanager' });
    const labels = [
      { alertname: 'Down', service: 'vpn', instance: 'v1' },
      { alertname: 'Down', service: 'vpn', instance: 'v2' },
    ];
    const fired = json(await prom.send(am('firing', ...labels))).alerts;
    const ticketId = fired[0].ticketId;
    expect(fired[1].ticketId).toBe(ticketId);
    await prom.send(am('resolved', labels[0]));
    minutes(6);
    await sweep();
    expect((await getTicket(ticketId)).state).toBe('new'); // v2 still fires
    await prom.send(am('resolved', labels[1]));
    minutes(4);
    await sweep();
    expect((await getTicket(ticketId)).state).toBe('new'); // not yet: flapping guard
    minutes(2);
    await sweep();
    const resolved = await getTicket(ticketId);
    expect(resolved).toMatchObject({ state: 'resolved', resolutionCode: 'resolved_by_monitoring' });
    expect(resolved.resolutionNotes).toContain('all 2 alert(s) resolved');
  });

  it('does not resolve and reopen in a loop when an alert flaps', async () => {
    const prom = await integration({ name: 'Flapper', source: 'alertmanager' });
    const labels = { alertname: 'Flaky', service: 'wifi', instance: 'ap1' };
    const ticketId = json(await prom.send(am('firing', labels))).alerts[0].ticketId;
    // Resolve and fire again within the delay: nothing happens to the ticket.
    await prom.send(am('resolved', labels));
    minutes(1);
    await prom.send(am('firing', labels));
    minutes(5);
    await sweep();
    expect((await getTicket(ticketId)).state).toBe('new');
    // Resolved for longer than the delay: resolved. Fires again: reopened, once.
    await prom.send(am('resolved', labels));
    minutes(6);
    await sweep();
    expect((await getTicket(ticketId)).state).toBe('resolved');
    await prom.send(am('firing', labels));
    expect((await getTicket(ticketId)).state).toBe('in_progress');
    // From now on monitoring leaves it to a person, however often it flaps.
    for (let i = 0; i < 3; i++) {
      await prom.send(am('resolved', labels));
      minutes(6);
      await sweep();
      expect((await getTicket(ticketId)).state).toBe('in_progress');
      await prom.send(am('firing', labels));
    }
    const events = await timeline(ticketId);
    expect(events.filter((e) => e.type === 'state_changed')).toHaveLength(2); // resolved once, reopened once
    expect(events.filter((e) => e.type === 'work_note').at(-1)?.body).toMatch(/flapping/);
    const [row] = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, prom.id));
    expect(row.refireCount).toBe(5);
  });

  it("never overwrites a person's work: a commented ticket stays open with a note", async () => {
    const prom = await integration({ name: 'Manual', source: 'alertmanager' });
    const labels = { alertname: 'Slow', service: 'erp', instance: 'e1' };
    const ticketId = json(await prom.send(am('firing', labels))).alerts[0].ticketId;
    const comment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/comments`,
      headers: agent.headers,
      payload: { body: 'Looking into the ERP database', visibility: 'internal' },
    });
    expect(comment.statusCode).toBe(201);
    await prom.send(am('resolved', labels));
    minutes(6);
    await sweep();
    expect((await getTicket(ticketId)).state).toBe('new');
    expect((await timeline(ticketId)).at(-1)).toMatchObject({
      type: 'work_note',
      body: expect.stringMatching(/a person has worked on it/),
    });
  });

  it('leaves the ticket open when the rule says not to resolve', async () => {
    const prom = await integration({
      name: 'Keep',
      source: 'alertmanager',
      resolveDelayMinutes: 0,
      rules: [{ action: 'incident', autoResolve: false }],
    });
    const labels = { alertname: 'Kept', service: 's' };
    const ticketId = json(await prom.send(am('firing', labels))).alerts[0].ticketId;
    await prom.send(am('resolved', labels));
    expect((await getTicket(ticketId)).state).toBe('new');
    expect((await timeline(ticketId)).map((e) => e.type)).toEqual(['created', 'alert', 'alert']);
  });
});

describe('routing rules and disturbances', () => {
  it("ignores, records disturbances (DST), or opens incidents with the rule's service, team and levels", async () => {
    const team = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: `Payments ${randomUUID()}` } }),
    );
    const service = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/services',
        headers: admin.headers,
        payload: { name: `Payments ${randomUUID()}`, ownerTeamId: team.id },
      }),
    );
    const prom = await integration({
      name: 'Routed',
      source: 'alertmanager',
      rules: [
        { match: { labels: { env: 'staging' } }, action: 'ignore' },
        { match: { labels: { severity: ['warning', 'info'] } }, action: 'disturbance' },
        { match: { labels: { service: 'payments' } }, action: 'incident', serviceId: service.id, teamId: team.id, impact: 1, urgency: 1 },
      ],
    });
    const [ignored, disturbance, incident] = json(
      await prom.send(
        am(
          'firing',
          { alertname: 'A', service: 'payments', env: 'staging', severity: 'critical' },
          { alertname: 'B', service: 'payments', severity: 'warning' },
          { alertname: 'C', service: 'payments', severity: 'critical' },
        ),
      ),
    ).alerts;
    expect(ignored).toMatchObject({ action: 'ignore', ticketId: null });
    const dst = await getTicket(disturbance.ticketId);
    expect(dst.kind).toBe('disturbance');
    expect(dst.number).toMatch(/^DST\d{7}$/);
    const inc = await getTicket(incident.ticketId);
    expect(inc).toMatchObject({ kind: 'incident', priority: 1, service: { id: service.id }, team: { id: team.id } });

    const listed = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?kind=disturbance&limit=200', headers: agent.headers }));
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(dst.id);
    expect(listed.items.every((i: { kind: string }) => i.kind === 'disturbance')).toBe(true);
    const searched = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${dst.number}`, headers: agent.headers }));
    expect(searched.items.map((i: { id: string }) => i.id)).toEqual([dst.id]);
  });

  it('promotes a disturbance by hand, keeping the link and history, and moving its alerts', async () => {
    const gen = await integration({ name: 'Odd signals', source: 'generic', rules: [{ action: 'disturbance' }] });
    const sent = json(await gen.send({ summary: 'Login slow for one user', fingerprint: 'login-slow', labels: { service: 'sso' } }))
      .alerts[0];
    const requester = await t.user('requester');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${sent.ticketId}/promote`,
      headers: requester.headers,
      payload: { reason: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${sent.ticketId}/promote`,
      headers: agent.headers,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).errors).toContainEqual(expect.objectContaining({ field: 'reason' }));

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${sent.ticketId}/promote`,
      headers: agent.headers,
      payload: { reason: 'Now the whole floor cannot log in', impact: 1, urgency: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const incident = json(res);
    expect(incident).toMatchObject({ kind: 'incident', priority: 1, channel: 'alert' });
    const disturbance = await getTicket(sent.ticketId);
    expect(disturbance).toMatchObject({ state: 'resolved', resolutionCode: 'promoted_to_incident' });
    expect((await timeline(sent.ticketId)).find((e) => e.type === 'promoted')?.data).toEqual({
      to: { id: incident.id, number: incident.number },
    });
    expect((await timeline(incident.id)).find((e) => e.type === 'promoted')?.data).toEqual({
      from: { id: disturbance.id, number: disturbance.number },
    });
    const [row] = await t.deps.db.select().from(tickets).where(eq(tickets.id, incident.id));
    expect(row.promotedFromId).toBe(disturbance.id);
    const moved = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${incident.id}/alerts`, headers: agent.headers }));
    expect(moved.items.map((a: { id: string }) => a.id)).toEqual([sent.id]);

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${sent.ticketId}/promote`,
      headers: agent.headers,
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
    const notADisturbance = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${incident.id}/promote`,
      headers: agent.headers,
      payload: { reason: 'x' },
    });
    expect(notADisturbance.statusCode).toBe(409);
  });

  it('promotes a disturbance by rule when more than N alerts fire on it within M minutes', async () => {
    const gen = await integration({
      name: 'Promoting',
      source: 'generic',
      rules: [{ action: 'disturbance', groupBy: ['service'], groupWindowMinutes: 30, promoteAfter: { count: 2, minutes: 10 } }],
    });
    const a = json(await gen.send({ summary: 'one', fingerprint: 'p1', labels: { service: 'mail' } })).alerts[0];
    minutes(3);
    const b = json(await gen.send({ summary: 'two', fingerprint: 'p2', labels: { service: 'mail' } })).alerts[0];
    expect(b.ticketId).toBe(a.ticketId);
    expect((await getTicket(a.ticketId)).state).toBe('new');
    minutes(3);
    const c = json(await gen.send({ summary: 'three', fingerprint: 'p3', labels: { service: 'mail' } })).alerts[0];
    const disturbance = await getTicket(a.ticketId);
    expect(disturbance).toMatchObject({ state: 'resolved', resolutionCode: 'promoted_to_incident' });
    const alertsNow = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, gen.id));
    const incidentId = alertsNow[0].ticketId as string;
    expect(alertsNow.every((r) => r.ticketId === incidentId)).toBe(true);
    expect((await getTicket(incidentId)).kind).toBe('incident');
    expect(c.alertId ?? c.id).toBeDefined();
  });
  it('counts every alert of a burst toward promotion: three firing together promote a "more than 2" disturbance', async () => {
    const gen = await integration({
      name: 'Promoting burst',
      source: 'generic',
      rules: [{ action: 'disturbance', groupBy: ['service'], groupWindowMinutes: 30, promoteAfter: { count: 2, minutes: 10 } }],
    });
    const res = await gen.send({
      alerts: ['b1', 'b2', 'b3'].map((fingerprint) => ({ summary: `Bounce ${fingerprint}`, fingerprint, labels: { service: 'relay' } })),
    });
    expect(res.statusCode, res.body).toBe(202);
    const disturbanceId = json(res).alerts[0].ticketId as string;
    expect(await getTicket(disturbanceId)).toMatchObject({
      kind: 'disturbance',
      state: 'resolved',
      resolutionCode: 'promoted_to_incident',
    });
    const rows = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, gen.id));
    expect((await getTicket(rows[0].ticketId as string)).kind).toBe('incident');
  });
});

describe('PagerDuty Events v2, unchanged', () => {
  it('accepts routing_key in the body and answers like PagerDuty; trigger, acknowledge, resolve', async () => {
    const pd = await integration({ name: 'PD-speaking tool', source: 'pagerduty', resolveDelayMinutes: 0 });
    const url = '/api/v1/integrations/pagerduty/v2/enqueue';
    const trigger = {
      routing_key: pd.token,
      event_action: 'trigger',
      dedup_key: 'srv01/mysql',
      payload: { summary: 'DISK at 99% on machine prod-datapipe03', source: 'prod-datapipe03', severity: 'critical' },
    };
    const first = await t.app.inject({ method: 'POST', url, payload: trigger });
    expect(first.statusCode, first.body).toBe(202);
    expect(json(first)).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' });
    await t.app.inject({ method: 'POST', url, payload: trigger });
    await t.app.inject({ method: 'POST', url, payload: { routing_key: pd.token, event_action: 'acknowledge', dedup_key: 'srv01/mysql' } });
    const [row] = await t.deps.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.integrationId, pd.id), eq(alerts.fingerprint, 'srv01/mysql')));
    expect(row).toMatchObject({ count: 3, status: 'firing', summary: 'DISK at 99% on machine prod-datapipe03', severity: 'critical' });
    expect(row.acknowledgedAt).not.toBeNull();
    const resolve = await t.app.inject({
      method: 'POST',
      url,
      payload: { routing_key: pd.token, event_action: 'resolve', dedup_key: 'srv01/mysql' },
    });
    expect(resolve.statusCode).toBe(202);
    expect((await getTicket(row.ticketId as string)).state).toBe('resolved');

    const badKey = await t.app.inject({ method: 'POST', url, payload: { ...trigger, routing_key: 'nope' } });
    expect(badKey.statusCode).toBe(401);
    const noKey = await t.app.inject({ method: 'POST', url, payload: { event_action: 'trigger' } });
    expect(noKey.statusCode).toBe(401);
    const invalid = await t.app.inject({ method: 'POST', url, payload: { routing_key: pd.token, event_action: 'explode' } });
    expect(invalid.statusCode).toBe(400);
    expect(json(invalid).errors).toContainEqual(expect.objectContaining({ field: 'event_action' }));
  });
});

describe('durability', () => {
  it('has committed the alert when it answers 202: a separate read sees it at once', async () => {
    const gen = await integration({ name: 'Durable', source: 'generic' });
    const res = await gen.send({ summary: 'committed?', fingerprint: 'durable-1' });
    expect(res.statusCode).toBe(202);
    const [{ n }] = await t.deps.db
      .select({ n: count() })
      .from(alerts)
      .where(and(eq(alerts.integrationId, gen.id), eq(alerts.fingerprint, 'durable-1')));
    expect(n).toBe(1);
  });
});
