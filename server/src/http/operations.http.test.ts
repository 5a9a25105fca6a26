import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../test/database.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { buildApp } from '../app.js';
import { type Db, rowsOf } from '../db/client.js';
import { jobs } from '../db/schema/index.js';

/** Operations (issue 19, item 7): metrics, readiness, request ids, the live stream's farewell. */

const TOKEN = 'scrape-token-0123456789abcdef';
const scrapeHeaders = { authorization: `Bearer ${TOKEN}` };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { metricsToken: TOKEN } });
});
afterAll(() => t.close());

const scrape = async (app = t.app) => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: scrapeHeaders });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};

/** The value of one series in a scrape, e.g. sample(text, 'firebreak_jobs_due'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('answers 404 like a path that does not exist without the token, with a wrong one, and when no token is set', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/metrics' });
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    const person = await t.user('admin');
    const asAdmin = await t.app.inject({ method: 'GET', url: '/metrics', headers: person.headers });
    const absent = await t.app.inject({ method: 'GET', url: '/no-such-path' });
    const plain = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined, detail: undefined });
    for (const res of [unknown, wrong, asAdmin]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(plain(json(res))).toEqual(plain(json(absent)));
      expect(json(res).detail).toBe('There is no GET /metrics here. The API is described at /api/v1/docs.');
    }
    const unset = await createTestApp();
    try {
      const res = await unset.app.inject({ method: 'GET', url: '/metrics', headers: scrapeHeaders });
      expect(res.statusCode).toBe(404);
    } finally {
      await unset.close();
    }
  });

  it('opens nothing else with the metrics token: it is not an API token', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: scrapeHeaders });
    expect(me.statusCode).toBe(401);
  });

  it('counts requests by route pattern and status, never by raw URL, with latency histograms', async () => {
    const agent = await t.user('agent');
    const id = randomUUID();
    await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent.headers });
    await t.app.inject({ method: 'GET', url: `/nothing/${id}` });
    const text = (await scrape()).body;
    expect(text).not.toContain(id);
    expect(text).toMatch(/firebreak_http_requests_total\{method="GET",route="\/api\/v1\/tickets\/:id",status="404"\} [1-9]/);
    expect(text).toMatch(/firebreak_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).toMatch(
      /firebreak_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/tickets\/:id",status="404"\}/,
    );
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(new RegExp(`firebreak_database_info\\{engine="${testEngine()}"\\} 1`));
    expect(text).toMatch(/firebreak_database_connections\{state="total"\} [1-9]/);
    if (testEngine() === 'postgres') expect(text).toMatch(/firebreak_database_connections\{state="waiting"\} 0/);
  });

  it('reads the job queue (due count, oldest due age) and the outbox backlog at scrape time', async () => {
    const now = t.clock.now();
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    const before = (await scrape()).body;
    const dueBefore = sample(before, 'firebreak_jobs_due') ?? 0;
    await t.database.db.insert(jobs).values([
      { id: `ops-test:${randomUUID()}`, kind: 'jobs.clean_done', payload: {}, runAt: ago(90), createdAt: ago(100) },
      { id: `ops-test:${randomUUID()}`, kind: 'notification.deliver', payload: {}, runAt: ago(5), createdAt: ago(5) },
      // Not due yet: not counted as due, nor as lag.
      {
        id: `ops-test:${randomUUID()}`,
        kind: 'notification.deliver',
        payload: {},
        runAt: new Date(now.getTime() + 60_000),
        createdAt: now,
      },
      { id: `ops-test:${randomUUID()}`, kind: 'notification.deliver', payload: {}, runAt: ago(5), createdAt: ago(5), state: 'held' },
    ]);
    const text = (await scrape()).body;
    expect(sample(text, 'firebreak_scrape_database_ok')).toBe(1);
    expect(sample(text, 'firebreak_jobs_due')).toBe(dueBefore + 2);
    expect(sample(text, 'firebreak_jobs_oldest_due_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(sample(text, 'firebreak_outbox_backlog{kind="notification.deliver",state="pending"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'firebreak_outbox_backlog{kind="notification.deliver",state="held"}')).toBeGreaterThanOrEqual(1);
    await t.database.db.delete(jobs).where(sql`id LIKE 'ops-test:%'`);
  });

  it('counts alerts received and refused, and open live streams', async () => {
    const before = (await scrape()).body;
    const refusedBefore = sample(before, 'firebreak_intake_total{channel="alert",outcome="refused"}') ?? 0;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/${randomUUID()}/alerts`,
      headers: { authorization: 'Bearer not-an-integration-token' },
      payload: {},
    });
    const agent = await t.user('agent');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { headers: agent.headers });
    const reader = stream.body?.getReader();
    await reader?.read(); // the stream has begun
    const text = (await scrape()).body;
    expect(sample(text, 'firebreak_intake_total{channel="alert",outcome="refused"}')).toBe(refusedBefore + 1);
    expect(sample(text, 'firebreak_intake_total{channel="email",outcome="received"}')).toBe(0);
    expect(sample(text, 'firebreak_live_connections')).toBe(1);
    t.events.closeAll();
    await reader?.cancel();
  });

  it("passes Prometheus's own promtool check metrics", async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    const text = (await scrape()).body;
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.error, 'promtool is needed (Debian package prometheus; .ci/run installs it)').toBeUndefined();
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });

  it.runIf(testEngine() === 'postgres')(
    'answers a scrape while a migration holds the jobs table, without the database gauges',
    async () => {
      const raw = t.database.raw;
      if (raw.kind !== 'postgres') throw new Error('postgres only');
      const migration = await raw.pool.connect();
      try {
        await migration.query('BEGIN');
        await migration.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');
        const started = performance.now();
        const text = (await scrape()).body;
        expect(performance.now() - started).toBeLessThan(10_000);
        expect(sample(text, 'firebreak_scrape_database_ok')).toBe(0);
        expect(sample(text, 'firebreak_jobs_due')).toBeNaN();
        expect(text).not.toContain('firebreak_outbox_backlog{');
        expect(text).toContain('firebreak_http_requests_total');
      } finally {
        await migration.query('ROLLBACK');
        migration.release();
      }
      expect(sample((await scrape()).body, 'firebreak_scrape_database_ok')).toBe(1);
    },
  );
});

describe('GET /api/v1/ready and /api/v1/health', () => {
  it('is ready when the database answers and every migration is applied', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/ready' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ status: 'ready', database: testEngine() });
  });

  it('answers 503 problem+json naming the missing migration, and ready again once it is back', async () => {
    const [last] = rowsOf<{ id: number; hash: string; created_at: string }>(
      await t.database.db.execute(sql`SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`),
    );
    await t.database.db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${last.id}`);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(json(res).detail).toMatch(/schema is not up to date: \d+ of \d+ migrations applied \(1 missing\)/);
      expect(json(res).requestId).toBe(res.headers['x-request-id']);
    } finally {
      await t.database.db.execute(
        sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES (${last.id}, ${last.hash}, ${last.created_at})`,
      );
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/ready' })).statusCode).toBe(200);
  });

  it('answers 503 when the database is unreachable, while health (liveness) still answers 200', async () => {
    // A PostgreSQL server that is not there: a closed port.
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const app = await buildApp({
      database: { kind: 'postgres', db: drizzle(pool) as unknown as Db },
      clock: t.clock,
      config: { sessionHours: 12, secureCookies: false, bodyLimitBytes: 1_048_576, trustProxy: false },
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/api/v1/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['content-type']).toContain('application/problem+json');
      expect(json(ready).detail).toMatch(/^Not ready: the database does not answer/);
      // A request that needs the database fails cleanly: 503 with Retry-After, never a 500.
      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer some-api-token' } });
      expect(me.statusCode).toBe(503);
      expect(me.headers['retry-after']).toBe('5');
      expect(me.headers['content-type']).toContain('application/problem+json');
      expect(json(me).detail).toMatch(/database is unavailable for a moment/);
      expect(json(me).requestId).toBe(me.headers['x-request-id']);
      const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(health.statusCode).toBe(200);
      expect(json(health)).toMatchObject({ status: 'ok', database: 'postgres' });
    } finally {
      await app.close();
      await pool.end();
    }
  });
});

describe('PostgreSQL restarted', () => {
  it.runIf(testEngine() === 'postgres')(
    'reconnects by itself after the server cut every connection, answering 200 or 503 with Retry-After meanwhile, never 500',
    async () => {
      const raw = t.database.raw;
      if (raw.kind !== 'postgres') throw new Error('postgres only');
      const agent = await t.user('agent');
      // Open several pooled connections, then end them all from the server's side, as a restart does.
      await Promise.all(Array.from({ length: 4 }, () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers })));
      await raw.pool.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers });
        statuses.push(res.statusCode);
        if (res.statusCode === 503) expect(res.headers['retry-after']).toBe('5');
      }
      expect(
        statuses.every((s) => s === 200 || s === 503),
        statuses.join(','),
      ).toBe(true);
      expect(statuses.at(-1)).toBe(200);
    },
  );
});

describe('request ids', () => {
  it('keeps a sane incoming X-Request-Id, echoes it, names it in problem+json and in every log line of the request', async () => {
    const logs: string[] = [];
    const logged = await createTestApp({ logs, logLevel: 'info' });
    try {
      const id = 'lb-7f3a.2026:req/42';
      const res = await logged.app.inject({ method: 'GET', url: '/api/v1/tickets/not-a-uuid', headers: { 'x-request-id': id } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['x-request-id']).toBe(id);
      expect(json(res).requestId).toBe(id);
      const lines = logs.map((l) => JSON.parse(l)).filter((l) => l.req?.url === '/api/v1/tickets/not-a-uuid' || l.reqId === id);
      expect(lines.length).toBeGreaterThanOrEqual(2); // the request and its answer
      for (const line of lines) expect(line.reqId).toBe(id);
    } finally {
      await logged.close();
    }
  });

  it('replaces an incoming id that is too long or carries unsafe characters with a new one', async () => {
    for (const bad of ['x'.repeat(129), 'evil id', 'a"b', 'line\tbreak', '']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/nowhere', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(json(res).requestId).toBe(res.headers['x-request-id']);
    }
    const generated = await t.app.inject({ method: 'GET', url: '/api/v1/nowhere' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('closing', () => {
  it('ends live streams with a retry hint when the server closes, so browsers reconnect elsewhere', async () => {
    const own = await createTestApp();
    const agent = await own.user('agent');
    await own.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (own.app.server.address() as AddressInfo).port;
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { headers: agent.headers });
    const body = stream.text();
    await own.close();
    const text = await body;
    expect(text).toContain('event: ready');
    expect(text).toMatch(/retry: 1000\nevent: closing\n/);
  });
});
