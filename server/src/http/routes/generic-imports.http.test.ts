import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { tickets } from '../../db/schema/index.js';

/**
 * Admin › Import of any CSV or JSON lines file through a column mapping (issue 16, item 6): the
 * mapping sent beside the file, checked before the file is read; the dry run's report in the
 * file's own column names; the real run to poll; admins only.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let manager: TestUser;
let requester: TestUser;

const MAPPING = {
  columns: { number: 'Key', title: 'Summary', state: 'Status', openedAt: 'Created', team: 'Queue' },
  states: { Open: 'new', Done: 'resolved' },
  dateFormat: 'YYYY-MM-DD HH:mm',
};
const FILE = [
  'Key,Summary,Status,Created,Queue,Site',
  'SUP-1,Printer jams,Open,2026-03-02 09:15,Helpdesk,Paris',
  'SUP-2,VPN drops,Done,2026-03-03 08:00,Network,Lyon',
  'SUP-3,Impossible,Open,2026-13-01 08:00,Network,Lyon',
].join('\n');

const upload = (who: TestUser, body: string, query: Record<string, string>, mapping: unknown = MAPPING) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/generic?${new URLSearchParams({ mapping: typeof mapping === 'string' ? mapping : JSON.stringify(mapping), ...query })}`,
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

describe('Admin › Import of another tool’s file', () => {
  it('dry run: counts and refused rows named by the file’s own column; nothing written', async () => {
    const before = await ticketCount();
    const res = await upload(admin, FILE, { dryRun: 'true', fileName: 'support.csv' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ dryRun: true, rows: 3, incidents: 2, created: 2, refusedCount: 1, newTeams: 2 });
    expect(json(res).refused).toEqual([{ row: 4, column: 'created', reason: '"2026-13-01 08:00" is not a date that exists' }]);
    expect(await ticketCount()).toBe(before);
  });

  it('runs for real in the background, the other columns kept as source attributes', async () => {
    const before = await ticketCount();
    const res = await upload(admin, FILE, { dryRun: 'false', fileName: 'support.csv' });
    expect(res.statusCode, res.body).toBe(202);
    let run = json(res);
    for (let polls = 0; polls < 500 && run.state === 'running'; polls++) {
      await new Promise((resolve) => setImmediate(resolve));
      run = json(await t.app.inject({ method: 'GET', url: `/api/v1/imports/${run.id}`, headers: admin.headers }));
    }
    expect(run).toMatchObject({ state: 'done', percent: 100, report: { created: 2 } });
    expect(await ticketCount()).toBe(before + 2);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=VPN', headers: admin.headers });
    expect(json(listed).items[0]).toMatchObject({ externalReference: 'SUP-2', sourceAttributes: { site: 'Lyon', status: 'Done' } });
  });

  it('filters the queue by a source attribute of imported tickets; a malformed filter is 400 naming attr', async () => {
    const numbers = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: admin.headers });
      expect(res.statusCode, res.body).toBe(200);
      return json(res).items.map((i: { externalReference: string | null }) => i.externalReference);
    };
    expect(await numbers('attr=site:Lyon')).toEqual(['SUP-2']);
    expect(await numbers('attr=SITE:Paris')).toEqual(['SUP-1']);
    expect(await numbers('attr=site:Paris&attr=status:Done')).toEqual([]);
    expect(await numbers('attr=site:Lyon&attr=status:Done')).toEqual(['SUP-2']);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?attr=site', headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0]).toMatchObject({ field: expect.stringContaining('attr'), message: expect.stringContaining('column:value') });
  });

  it('refuses a mapping that is not JSON or has mistakes with 400 naming each, and a file without the mapped columns with 422', async () => {
    const before = await ticketCount();
    const notJson = await upload(admin, FILE, { dryRun: 'false' }, '{columns');
    expect(notJson.statusCode).toBe(400);
    expect(json(notJson).errors).toEqual([{ field: 'mapping', message: expect.stringContaining('is not JSON') }]);
    const wrong = await upload(admin, FILE, { dryRun: 'false' }, { columns: { number: 'Key', colour: 'c' } });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^columns\.colour: not a field/),
      'columns.state: is required (State)',
      'columns.openedAt: is required (Opened at)',
    ]);
    const missing = await upload(admin, FILE, { dryRun: 'true' }, { ...MAPPING, columns: { ...MAPPING.columns, state: 'Stage' } });
    expect(missing.statusCode).toBe(422);
    expect(json(missing).errors).toEqual([{ field: 'file', message: 'Row 1 (the header) lacks mapped columns: "stage".' }]);
    expect(await ticketCount()).toBe(before);
  });

  it('is for admins only: agents, managers and requesters are refused, and nothing is written', async () => {
    const before = await ticketCount();
    for (const who of [agent, manager, requester]) {
      const res = await upload(who, FILE, { dryRun: 'false' });
      expect(res.statusCode, who.user.role).toBe(403);
    }
    expect(await ticketCount()).toBe(before);
  });
});
