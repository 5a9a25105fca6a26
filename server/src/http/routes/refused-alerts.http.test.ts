import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_EXCERPT_MAX_BYTES, REFUSED_KEEP_PER_INTEGRATION } from '../../../../core/alerts/refused-delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { alerts, refusedAlertDeliveries } from '../../db/schema/index.js';

let t: TestApp;
let admin: TestUser;
const logs: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ logs });
  admin = await t.user('admin');
});
afterAll(() => t.close());

interface Created {
  id: string;
  token: string;
  alertsPath: string;
}

async function integration(source: string, name = `${source} ${Math.random().toString(36).slice(2, 6)}`): Promise<Created> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: admin.headers, payload: { name, source } });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

const post = (app: TestApp, url: string, token: string | null, body: string, contentType = 'application/json') =>
  app.app.inject({
    method: 'POST',
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    payload: body,
  });

async function refusals(app: TestApp, who: TestUser, query = '') {
  const res = await app.app.inject({ method: 'GET', url: `/api/v1/refused-alert-deliveries${query}`, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return json(res) as { items: Record<string, unknown>[]; nextCursor: string | null };
}

describe('refused alert deliveries are kept for the admin, with the reason the sender was given', () => {
  it('malformed JSON: the 400 is unchanged and the record holds its reason and the body as sent', async () => {
    const prom = await integration('alertmanager');
    const res = await post(t, prom.alertsPath, prom.token, '{"alerts": [');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res).detail).toBe('The body is not valid JSON.');
    const { items } = await refusals(t, admin, `?integrationId=${prom.id}`);
    expect(items).toEqual([
      expect.objectContaining({
        integrationId: prom.id,
        status: 400,
        reason: 'The body is not valid JSON.',
        bodyExcerpt: '{"alerts": [',
        excerptTruncated: false,
        bodyBytes: 12,
        contentType: 'application/json',
        requestId: res.headers['x-request-id'],
      }),
    ]);
  });

  it('a payload of the wrong source and a failed validation: each with its reason and named fields', async () => {
    const prom = await integration('alertmanager');
    const wrong = await post(t, prom.alertsPath, prom.token, JSON.stringify({ event_action: 'trigger', payload: { summary: 'x' } }));
    expect(wrong.statusCode).toBe(400);
    const generic = await integration('generic');
    const invalid = await post(t, generic.alertsPath, generic.token, JSON.stringify({ severity: 'warning' }));
    expect(invalid.statusCode).toBe(400);
    const [wrongRecord] = (await refusals(t, admin, `?integrationId=${prom.id}`)).items;
    expect(wrongRecord).toMatchObject({ status: 400, reason: json(wrong).detail, fieldErrors: json(wrong).errors });
    expect(wrongRecord.reason).toContain('looks like a pagerduty payload, but this integration expects alertmanager');
    const [invalidRecord] = (await refusals(t, admin, `?integrationId=${generic.id}`)).items;
    expect(invalidRecord).toMatchObject({ status: 400, reason: json(invalid).detail, bodyExcerpt: '{"severity":"warning"}' });
    expect(invalidRecord.fieldErrors).toEqual(json(invalid).errors);
    expect((invalidRecord.fieldErrors as unknown[]).length).toBeGreaterThan(0);
  });

  it('not JSON (415): recorded without a body, which was never read', async () => {
    const generic = await integration('generic');
    const res = await post(t, generic.alertsPath, generic.token, 'summary=x', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    const [record] = (await refusals(t, admin, `?integrationId=${generic.id}`)).items;
    expect(record).toMatchObject({
      status: 415,
      reason: json(res).detail,
      bodyExcerpt: null,
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('oversize (413): recorded with its declared size and no body', async () => {
    const small = await createTestApp({ bodyLimitBytes: 4096 });
    try {
      const smallAdmin = await small.user('admin');
      const created = json(
        await small.app.inject({
          method: 'POST',
          url: '/api/v1/integrations',
          headers: smallAdmin.headers,
          payload: { name: 'x', source: 'generic' },
        }),
      ) as Created;
      const body = JSON.stringify({ summary: 'x'.repeat(10_000) });
      const res = await post(small, created.alertsPath, created.token, body);
      expect(res.statusCode).toBe(413);
      expect(json(res).detail).toBe('The body is larger than this server accepts.');
      const { items } = await refusals(small, smallAdmin);
      expect(items).toEqual([
        expect.objectContaining({
          integrationId: created.id,
          status: 413,
          reason: json(res).detail,
          bodyExcerpt: null,
          bodyBytes: body.length,
        }),
      ]);
    } finally {
      await small.close();
    }
  });

  it('keeps only the first 4 KiB of a large refused body, and says it was cut', async () => {
    const generic = await integration('generic');
    const body = JSON.stringify({ severity: 'warning', labels: { note: 'ü'.repeat(50_000) } });
    expect((await post(t, generic.alertsPath, generic.token, body)).statusCode).toBe(400);
    const [record] = (await refusals(t, admin, `?integrationId=${generic.id}`)).items;
    const excerpt = record.bodyExcerpt as string;
    expect(new TextEncoder().encode(excerpt).length).toBeLessThanOrEqual(REFUSED_EXCERPT_MAX_BYTES);
    expect(body.startsWith(excerpt)).toBe(true);
    expect(record).toMatchObject({ excerptTruncated: true, bodyBytes: Buffer.byteLength(body) });
  });

  it('PagerDuty: refusals are recorded for the routing key’s integration, and the key itself is never kept', async () => {
    const pd = await integration('pagerduty');
    const enqueue = '/api/v1/integrations/pagerduty/v2/enqueue';
    const invalid = await post(t, enqueue, null, JSON.stringify({ routing_key: pd.token, event_action: 'explode' }));
    expect(invalid.statusCode).toBe(400);
    const viaHeader = await post(t, enqueue, pd.token, `{"routing_key":"${pd.token}","event_action":`);
    expect(viaHeader.statusCode).toBe(400);
    const prom = await integration('alertmanager');
    const wrongKind = await post(t, enqueue, null, JSON.stringify({ routing_key: prom.token, event_action: 'trigger' }));
    expect(wrongKind.statusCode).toBe(400);

    const pdRecords = (await refusals(t, admin, `?integrationId=${pd.id}`)).items;
    expect(pdRecords.map((r) => r.reason)).toEqual([json(viaHeader).detail, json(invalid).detail]);
    const [promRecord] = (await refusals(t, admin, `?integrationId=${prom.id}`)).items;
    expect(promRecord.reason).toContain('This integration expects alertmanager payloads');
    const stored = JSON.stringify(await t.deps.db.select().from(refusedAlertDeliveries));
    expect(stored).not.toContain(pd.token);
    expect(stored).not.toContain(prom.token);
    expect(pdRecords[0].bodyExcerpt).toBe('{"routing_key":"[redacted]","event_action":');
  });

  it('a valid delivery is not a refusal: 202 and nothing recorded', async () => {
    const generic = await integration('generic');
    expect((await post(t, generic.alertsPath, generic.token, JSON.stringify({ summary: 'fine' }))).statusCode).toBe(202);
    expect((await refusals(t, admin, `?integrationId=${generic.id}`)).items).toEqual([]);
    expect(await t.deps.db.$count(alerts, eq(alerts.integrationId, generic.id))).toBe(1);
  });
});

describe('deliveries nobody can be held to account for', () => {
  it('401s are not stored — a stranger cannot fill the database — but counted in the log, a line a minute at most', async () => {
    const generic = await integration('generic');
    const agent = await t.user('agent');
    const before = await t.deps.db.$count(refusedAlertDeliveries);
    t.clock.advance(3_600_000); // past any line an earlier test logged
    logs.length = 0;
    const attempts = [
      post(t, generic.alertsPath, 'fbi_not-a-real-token-at-all', '{"summary":"x"}'),
      post(t, generic.alertsPath, null, '{"summary":"x"}'),
      t.app.inject({ method: 'POST', url: generic.alertsPath, headers: agent.headers, payload: { summary: 'x' } }),
      post(t, '/api/v1/integrations/pagerduty/v2/enqueue', null, '{"routing_key": "nope-nope-nope", "event_action": "trigger"}'),
      post(t, '/api/v1/integrations/pagerduty/v2/enqueue', null, '{"routing_key": '),
    ];
    const statuses = [];
    for (const attempt of attempts) statuses.push((await attempt).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 400]);
    expect(await t.deps.db.$count(refusedAlertDeliveries)).toBe(before);
    const lines = () => logs.map((l) => JSON.parse(l)).filter((l) => l.refusedAlertDeliveries !== undefined);
    expect(lines()).toEqual([expect.objectContaining({ refusedAlertDeliveries: 1, lastStatus: 401 })]);
    t.clock.advance(61_000);
    expect((await post(t, generic.alertsPath, null, '{}')).statusCode).toBe(401);
    expect(lines().map((l) => l.refusedAlertDeliveries)).toEqual([1, 5]);
    expect(logs.join('\n')).not.toContain('fbi_not-a-real-token-at-all');
  });
});

describe('reading the refusals', () => {
  it('is for admins only: requesters, agents and managers are refused', async () => {
    for (const role of ['requester', 'agent', 'manager'] as const) {
      const who = await t.user(role);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/refused-alert-deliveries', headers: who.headers });
      expect(res.statusCode, role).toBe(403);
      expect(res.body).not.toContain('bodyExcerpt');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/refused-alert-deliveries' })).statusCode).toBe(401);
  });

  it('pages newest first and filters by integration', async () => {
    const a = await integration('generic');
    const b = await integration('generic');
    for (let i = 0; i < 5; i++) await post(t, a.alertsPath, a.token, `{"n": ${i}, `);
    await post(t, b.alertsPath, b.token, '{"b": ');
    const first = await refusals(t, admin, `?integrationId=${a.id}&limit=3`);
    expect(first.items.map((r) => r.bodyExcerpt)).toEqual(['{"n": 4, ', '{"n": 3, ', '{"n": 2, ']);
    const second = await refusals(t, admin, `?integrationId=${a.id}&limit=3&cursor=${first.nextCursor}`);
    expect(second.items.map((r) => r.bodyExcerpt)).toEqual(['{"n": 1, ', '{"n": 0, ']);
    expect(second.nextCursor).toBeNull();
    const all = await refusals(t, admin, '?limit=2');
    expect(all.items.map((r) => r.bodyExcerpt)).toEqual(['{"b": ', '{"n": 4, ']);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/refused-alert-deliveries?cursor=nonsense', headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it(`keeps the newest ${REFUSED_KEEP_PER_INTEGRATION} per integration, deleting the oldest as new ones arrive`, async () => {
    const busy = await integration('generic');
    const quiet = await integration('generic');
    await post(t, quiet.alertsPath, quiet.token, '{"quiet": ');
    // Fill to the bound directly, then let two real refusals push the oldest out.
    await t.deps.db.insert(refusedAlertDeliveries).values(
      Array.from({ length: REFUSED_KEEP_PER_INTEGRATION }, (_, i) => ({
        integrationId: busy.id,
        receivedAt: t.clock.now(),
        status: 400,
        reason: `old ${i}`,
        fieldErrors: [],
        requestId: `old-${i}`,
      })),
    );
    await post(t, busy.alertsPath, busy.token, '{"new": 1, ');
    await post(t, busy.alertsPath, busy.token, '{"new": 2, ');
    const rows = await t.deps.db
      .select({ reason: refusedAlertDeliveries.reason, excerpt: refusedAlertDeliveries.bodyExcerpt })
      .from(refusedAlertDeliveries)
      .where(eq(refusedAlertDeliveries.integrationId, busy.id))
      .orderBy(refusedAlertDeliveries.seq);
    expect(rows).toHaveLength(REFUSED_KEEP_PER_INTEGRATION);
    expect(rows[0].reason).toBe('old 2');
    expect(rows.slice(-2).map((r) => r.excerpt)).toEqual(['{"new": 1, ', '{"new": 2, ']);
    expect((await refusals(t, admin, `?integrationId=${quiet.id}`)).items).toHaveLength(1);
  });
});

describe('when recording fails', () => {
  it('the sender still gets its 4xx, unchanged, and the failure is logged with context', async () => {
    const generic = await integration('generic');
    logs.length = 0;
    await t.deps.db.execute(sql`ALTER TABLE refused_alert_deliveries RENAME TO refused_alert_deliveries_away`);
    try {
      const res = await post(t, generic.alertsPath, generic.token, '{"summary": ');
      expect(res.statusCode).toBe(400);
      expect(json(res).detail).toBe('The body is not valid JSON.');
    } finally {
      await t.deps.db.execute(sql`ALTER TABLE refused_alert_deliveries_away RENAME TO refused_alert_deliveries`);
    }
    const failure = logs.map((l) => JSON.parse(l)).find((l) => /could not record a refused alert delivery/.test(l.msg));
    expect(failure).toMatchObject({ integrationId: generic.id, status: 400, reason: 'The body is not valid JSON.' });
    expect(failure.err.message).toMatch(/refused_alert_deliveries/);
  });
});
