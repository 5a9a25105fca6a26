import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusMaintenances, StatusSummary } from '../../../../core/contracts/status-page.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

/**
 * Planned maintenance through the API and on the public page (issue 15 #7): who may plan it,
 * bad plans refused naming the field, what the page, the Statuspage documents and the feeds
 * show before, during and after a window, and text shown as text everywhere.
 */
let t: TestApp;
let admin: TestUser;
let manager: TestUser;
let agent: TestUser;
let requester: TestUser;
const ids: Record<string, string> = {};
const HOUR = 3_600_000;
const SCRIPT = 'Mail <script>alert("x")</script> & calendar';

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who?: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload ? { payload } : {}) });
const inHours = (h: number) => new Date(t.clock.now().getTime() + h * HOUR).toISOString();
const plan = (extra: Record<string, unknown> = {}) => ({
  title: 'Mail server upgrade',
  description: 'Mail may be slow for a few minutes.',
  componentIds: [ids.Mail],
  startsAt: inHours(48),
  endsAt: inHours(50),
  ...extra,
});
const fieldsOf = (res: Parameters<typeof json>[0]) => (json(res).errors ?? []).map((e: { field: string }) => e.field);

async function work() {
  const registry = buildJobRegistry(NO_DELIVERY);
  for (let i = 0; i < 20; i += 1) if ((await runDueJobs(t.deps, registry, WORKER_OPTIONS)).claimed === 0) return;
}

/** A Statuspage document, checked against the schemas derived from Statuspage's own example. */
async function maintenanceDoc(which: '' | '/upcoming' | '/active') {
  const res = await call('GET', `/status/api/v2/scheduled-maintenances${which}.json`);
  expect(res.statusCode).toBe(200);
  const body = json(res);
  expect(StatusMaintenances.safeParse(body).error?.issues ?? []).toEqual([]);
  return body.scheduled_maintenances as {
    id: string;
    status: string;
    name: string;
    impact: string;
    incident_updates: { status: string; body: string }[];
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  manager = await t.user('manager');
  agent = await t.user('agent');
  requester = await t.user('requester');
  for (const [name, onStatusPage] of [
    ['Mail', true],
    ['Calendar', true],
    ['Backups', false],
  ] as const) {
    const res = await call('POST', '/api/v1/services', admin, { name, onStatusPage });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = json(res).id;
  }
});
afterAll(() => t.close());

describe('planning maintenance', () => {
  it('is for managers and admins: agents and requesters are refused, nobody signed out gets in, and nothing is written', async () => {
    expect((await call('POST', '/api/v1/maintenance', agent, plan())).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/maintenance', requester, plan())).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/maintenance', undefined, plan())).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/maintenance', requester)).statusCode).toBe(403);
    const list = await call('GET', '/api/v1/maintenance', agent);
    expect(list.statusCode).toBe(200);
    expect(json(list).items).toEqual([]);
  });

  it('refuses a bad plan with problem+json naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startsAt: inHours(5), endsAt: inHours(4) }, 'endsAt'],
      [{ startsAt: inHours(-1), endsAt: inHours(4) }, 'startsAt'],
      [{ componentIds: [ids.Backups] }, 'componentIds'],
      [{ componentIds: ['7d0c7c1e-7b1a-4d8e-9a43-0f6f4c2b9e11'] }, 'componentIds'],
      [{ componentIds: [] }, 'componentIds'],
      [{ title: '   ' }, 'title'],
      [{ startsAt: 'next tuesday' }, 'startsAt'],
      [{ leadMinutes: -5 }, 'leadMinutes'],
    ];
    for (const [extra, field] of cases) {
      const res = await call('POST', '/api/v1/maintenance', manager, plan(extra));
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(res), JSON.stringify(extra)).toEqual([field]);
    }
    expect(json(await call('GET', '/api/v1/maintenance', agent)).items).toEqual([]);
    expect(await maintenanceDoc('')).toEqual([]);
  });
});

describe('a window on the status page', () => {
  let id: string;

  it('shows as scheduled maintenance on the page, in the upcoming document and in the feeds, its words as text', async () => {
    const res = await call('POST', '/api/v1/maintenance', manager, plan({ title: SCRIPT, description: `Planned: ${SCRIPT}` }));
    expect(res.statusCode, res.body).toBe(201);
    id = json(res).id;
    expect(json(res)).toMatchObject({ state: 'scheduled', leadMinutes: 1440, title: SCRIPT, version: 1 });

    const page = (await call('GET', '/status')).body;
    expect(page).toContain('Scheduled maintenance');
    expect(page).toContain('Mail &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; calendar');
    expect(page).not.toContain('<script');
    expect(page).toContain('All Systems Operational');

    const detail = await call('GET', `/status/maintenance/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Planned: Mail &lt;script&gt;');
    expect(detail.body).not.toContain('<script');

    const upcoming = await maintenanceDoc('/upcoming');
    expect(upcoming.map((m) => [m.id, m.status, m.impact, m.name])).toEqual([[id, 'scheduled', 'maintenance', SCRIPT]]);
    expect(upcoming[0].incident_updates.map((u) => u.status)).toEqual(['scheduled']);
    expect(await maintenanceDoc('/active')).toEqual([]);
    const summary = json(await call('GET', '/status/api/v2/summary.json'));
    expect(StatusSummary.safeParse(summary).error?.issues ?? []).toEqual([]);
    expect(summary.scheduled_maintenances.map((m: { id: string }) => m.id)).toEqual([id]);

    const rssBody = (await call('GET', `/status/feed.rss?component=${ids.Mail}`)).body;
    // The body is escaped in the feed (readers treat it as HTML); the reader gets the very characters
    // written. (Titles are character data, as the incidents' are.)
    expect(rssBody).toContain('Planned: Mail &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(rssBody).not.toContain('Planned: Mail <script>');
    const rss = parseFeed(rssBody);
    const entry = rss.items.find((i) => i.title?.includes('planned maintenance'));
    expect(entry?.title).toBe(`${SCRIPT}: planned maintenance`);
    expect(entry?.url).toMatch(new RegExp(`/status/maintenance/${id}$`));
    expect(entry?.description).toContain(`Planned: ${SCRIPT}`);
    const atom = parseFeed((await call('GET', '/status/feed.atom')).body);
    expect(atom.items.some((i) => i.title === `${SCRIPT}: planned maintenance`)).toBe(true);
    // Calendar is not in the window: its feed does not carry it.
    expect(parseFeed((await call('GET', `/status/feed.rss?component=${ids.Calendar}`)).body).items).toEqual([]);
  });

  it('can be changed by a manager (not by an agent), and its news says so', async () => {
    expect((await call('PATCH', `/api/v1/maintenance/${id}`, agent, { title: 'Hijack' })).statusCode).toBe(403);
    const bad = await call('PATCH', `/api/v1/maintenance/${id}`, manager, { endsAt: inHours(47) });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(['endsAt']);
    const res = await call('PATCH', `/api/v1/maintenance/${id}`, manager, {
      componentIds: [ids.Mail, ids.Calendar],
      endsAt: inHours(51),
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ version: 2, componentIds: [ids.Mail, ids.Calendar] });
    expect(json(res).updates.map((u: { news: string }) => u.news)).toEqual(['updated', 'scheduled']);
    const stale = await call('PATCH', `/api/v1/maintenance/${id}`, manager, { title: 'Late edit', version: 1 });
    expect(stale.statusCode).toBe(412);
  });

  it('is under maintenance while it runs (its timers start it) and in the history once its timers completed it', async () => {
    t.clock.set(new Date(Date.parse(json(await call('GET', `/api/v1/maintenance/${id}`, agent)).startsAt) + 60_000));
    await work();
    const components = json(await call('GET', '/status/api/v2/components.json')).components as { id: string; status: string }[];
    expect(components.find((c) => c.id === ids.Mail)?.status).toBe('under_maintenance');
    expect(components.find((c) => c.id === ids.Calendar)?.status).toBe('under_maintenance');
    expect(json(await call('GET', '/status/api/v2/status.json')).status.indicator).toBe('maintenance');
    expect((await maintenanceDoc('/active')).map((m) => [m.id, m.status])).toEqual([[id, 'in_progress']]);
    expect(await maintenanceDoc('/upcoming')).toEqual([]);
    const page = (await call('GET', '/status')).body;
    expect(page).toContain('Maintenance in progress');
    expect(page).toContain('Service Under Maintenance');

    t.clock.set(new Date(t.clock.now().getTime() + 4 * HOUR));
    await work();
    const all = await maintenanceDoc('');
    expect(all.map((m) => [m.id, m.status])).toEqual([[id, 'completed']]);
    // The reminder fell due with the start (the clock jumped): a reminder once it started would mislead.
    expect(all[0].incident_updates.map((u) => u.status)).toEqual(['completed', 'in_progress', 'scheduled', 'scheduled']);
    expect(await maintenanceDoc('/active')).toEqual([]);
    expect((await call('GET', '/status')).body).toContain('All Systems Operational');
    const history = (await call('GET', '/status/history')).body;
    expect(history).toContain('Past maintenance');
    expect(history).toContain('Mail &lt;script&gt;');
    // Over is over: no more changes, nothing to cancel.
    expect((await call('PATCH', `/api/v1/maintenance/${id}`, manager, { title: 'Again' })).statusCode).toBe(409);
    expect((await call('POST', `/api/v1/maintenance/${id}/cancel`, manager)).statusCode).toBe(409);
  });

  it('once cancelled leaves the documents and shows as cancelled in the history; only managers and admins may cancel', async () => {
    const res = await call('POST', '/api/v1/maintenance', admin, plan({ title: 'Calendar re-index', componentIds: [ids.Calendar] }));
    const other = json(res).id;
    expect((await call('POST', `/api/v1/maintenance/${other}/cancel`, agent)).statusCode).toBe(403);
    const cancelled = await call('POST', `/api/v1/maintenance/${other}/cancel`, manager);
    expect(cancelled.statusCode).toBe(200);
    expect(json(cancelled).state).toBe('cancelled');
    expect((await maintenanceDoc('/upcoming')).map((m) => m.id)).not.toContain(other);
    expect((await maintenanceDoc('')).map((m) => m.id)).not.toContain(other);
    const history = (await call('GET', '/status/history')).body;
    expect(history).toContain('Calendar re-index');
    expect(history).toContain('Cancelled');
    expect((await call('POST', `/api/v1/maintenance/${other}/cancel`, manager)).statusCode).toBe(409);
  });
});
