import { Readable } from 'node:stream';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNowCsv } from '../../../test/servicenow-export.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { importRuns, tickets } from '../../db/schema/index.js';
import { releaseImportLock, takeImportLock } from '../../repositories/imports.repository.js';

/**
 * Admin › Import through the API (issue 16): the upload streamed to disk, the dry run's report
 * (counts, refused rows by row, column and reason), the real run in the background with progress
 * to poll, one import at a time, the upload limit, files that are not an export, admins only.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let manager: TestUser;
let requester: TestUser;

const incident = (n: number, fields: Record<string, string> = {}) => ({
  number: `INC${String(9000 + n).padStart(7, '0')}`,
  incident_state: 'New',
  sys_mod_count: '0',
  caller_id: `Caller ${n}`,
  opened_by: 'Opened by 1',
  opened_at: '2/3/2026 09:00',
  sys_updated_at: '2/3/2026 09:00',
  impact: '2 - Medium',
  urgency: '2 - Medium',
  priority: '3 - Moderate',
  category: 'Network',
  ...fields,
});

// Three good incidents and one with an impossible date (refused, named by row and column).
const FILE = serviceNowCsv([
  incident(1),
  incident(2),
  incident(3, { assignment_group: 'Network desk' }),
  incident(4, { opened_at: '31/2/2026 09:00' }),
]);

const upload = (who: TestUser, body: string | Buffer | Readable, query = 'dryRun=true&dateFormat=D/M/YYYY%20HH:mm&fileName=export.csv') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/servicenow?${query}`,
    headers: { ...who.headers, 'content-type': 'text/csv' },
    payload: body,
  });

const ticketCount = async () => (await t.database.db.select({ n: count() }).from(tickets))[0].n;

beforeAll(async () => {
  t = await createTestApp({ importMaxBytes: 64 * 1024 });
  admin = await t.user('admin');
  agent = await t.user('agent');
  manager = await t.user('manager');
  requester = await t.user('requester');
});
afterAll(() => t.close());

describe('Admin › Import', () => {
  it('dry run: says what would be created and which rows are refused (row, column, reason), and writes nothing', async () => {
    const before = await ticketCount();
    const res = await upload(admin, FILE);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report).toMatchObject({
      dryRun: true,
      rows: 4,
      incidents: 3,
      created: 3,
      updated: 0,
      refusedCount: 1,
      encoding: 'utf-8',
      delimiter: ',',
    });
    expect(report.refused).toEqual([{ row: 5, column: 'opened_at', reason: expect.stringMatching(/\w+ \w+/) }]);
    expect(await ticketCount()).toBe(before);
  });

  it('runs for real in the background: 202 with a run whose progress reaches 100 and whose report counts what was written', async () => {
    const before = await ticketCount();
    const res = await upload(admin, FILE, 'dryRun=false&dateFormat=D/M/YYYY%20HH:mm&fileName=export.csv');
    expect(res.statusCode, res.body).toBe(202);
    const started = json(res);
    expect(started).toMatchObject({ fileName: 'export.csv', state: 'running', startedBy: { id: admin.user.id } });
    let run = started;
    // The import runs on this process's event loop: each poll lets it go on (no sleeping).
    for (let polls = 0; polls < 500 && run.state === 'running'; polls++) {
      await new Promise((resolve) => setImmediate(resolve));
      const read = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${started.id}`, headers: admin.headers });
      expect(read.statusCode).toBe(200);
      run = json(read);
      expect(run.percent).toBeGreaterThanOrEqual(0);
      expect(run.percent).toBeLessThanOrEqual(100);
    }
    expect(run).toMatchObject({ state: 'done', percent: 100, error: null, report: { dryRun: false, created: 3, refusedCount: 1 } });
    expect(await ticketCount()).toBe(before + 3);
  });

  it('keeps runs in the database: one another server process started is read here and listed, and one whose process died shows as interrupted', async () => {
    // Written as another process writes its run: this process never saw it start.
    const now = t.clock.now();
    const elsewhere = { bytes: 10, startedById: admin.user.id, phase: 'writing' as const, percent: 60, rows: 30, incidents: 5 };
    await t.database.db.insert(importRuns).values([
      // Its heartbeat moved just now: it runs.
      {
        ...elsewhere,
        id: '00000000-0000-4000-8000-0000000000a1',
        fileName: 'running.csv',
        // Started after the run above (the test clock stands still).
        startedAt: new Date(now.getTime() + 1),
        state: 'running',
        heartbeatAt: now,
      },
      // Still "running", but silent for longer than the import lock's lease: its process died.
      {
        ...elsewhere,
        id: '00000000-0000-4000-8000-0000000000a2',
        fileName: 'died.csv',
        startedAt: new Date(now.getTime() - 10 * 60_000),
        state: 'running',
        heartbeatAt: new Date(now.getTime() - 2 * 60_000),
      },
    ]);
    const running = await t.app.inject({
      method: 'GET',
      url: '/api/v1/imports/00000000-0000-4000-8000-0000000000a1',
      headers: admin.headers,
    });
    expect(running.statusCode).toBe(200);
    expect(json(running)).toMatchObject({
      fileName: 'running.csv',
      state: 'running',
      percent: 60,
      rows: 30,
      startedBy: { id: admin.user.id },
    });
    const died = await t.app.inject({ method: 'GET', url: '/api/v1/imports/00000000-0000-4000-8000-0000000000a2', headers: admin.headers });
    expect(json(died)).toMatchObject({ fileName: 'died.csv', state: 'interrupted', percent: 60 });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const runs = json(list).runs as { fileName: string; state: string }[];
    expect(runs.slice(0, 1)).toMatchObject([{ fileName: 'running.csv', state: 'running' }]);
    expect(runs.find((r) => r.fileName === 'died.csv')?.state).toBe('interrupted');
    // The run started through this process earlier in the file is listed too, with its report.
    expect(runs.find((r) => r.fileName === 'export.csv')).toMatchObject({ state: 'done', report: { created: 3 } });
    await t.database.db.delete(importRuns);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/imports/not-a-run', headers: admin.headers });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a second import while one runs, naming who runs it and since when', async () => {
    const taken = await takeImportLock(
      t.database.db,
      'import of other.csv by Olga Admin',
      t.clock.now(),
      new Date(t.clock.now().getTime() + 60_000),
    );
    expect(taken.ok).toBe(true);
    try {
      const res = await upload(admin, FILE, 'dryRun=false&dateFormat=D/M/YYYY%20HH:mm');
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).detail).toContain('import of other.csv by Olga Admin');
      expect(json(res).detail).toContain(t.clock.now().toISOString());
    } finally {
      await releaseImportLock(t.database.db, 'import of other.csv by Olga Admin');
    }
  });

  it('refuses a file that is not an export (no known columns) with a message naming the header', async () => {
    const res = await upload(admin, 'name;age\nAda;36\n');
    expect(res.statusCode).toBe(422);
    expect(json(res).errors).toEqual([{ field: 'file', message: expect.stringContaining('header') }]);
    const binary = await upload(admin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect([400, 422]).toContain(binary.statusCode);
    expect(json(binary).errors[0].field).toBe('file');
  });

  it('refuses an upload past the limit with 413 naming it, whether announced by Content-Length or streamed', async () => {
    const big = `${FILE}${'x'.repeat(70 * 1024)}`;
    const announced = await upload(admin, big);
    expect(announced.statusCode).toBe(413);
    expect(json(announced).errors).toEqual([{ field: 'file', message: expect.stringContaining('64 KiB') }]);
    const streamed = await upload(admin, Readable.from([Buffer.from(big.slice(0, 40_000)), Buffer.from(big.slice(40_000))]));
    expect(streamed.statusCode).toBe(413);
    expect(json(streamed).errors[0].message).toContain('64 KiB');
  });

  it('refuses an empty body and a time zone that is not one, naming the field', async () => {
    const empty = await upload(admin, '');
    expect(empty.statusCode).toBe(400);
    expect(json(empty).errors[0].field).toBe('file');
    const zone = await upload(admin, FILE, 'dryRun=true&timeZone=Mars%2FOlympus');
    expect(zone.statusCode).toBe(400);
    expect(json(zone).errors[0].field).toBe('timeZone');
  });

  it('is for admins only: agents, managers and requesters are refused, and nothing is written', async () => {
    const before = await ticketCount();
    for (const who of [agent, manager, requester]) {
      const res = await upload(who, FILE, 'dryRun=false');
      expect(res.statusCode, who.user.role).toBe(403);
      const read = await t.app.inject({ method: 'GET', url: '/api/v1/imports/anything', headers: who.headers });
      expect(read.statusCode).toBe(403);
    }
    expect(await ticketCount()).toBe(before);
  });
});
