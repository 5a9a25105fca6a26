import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import type { OutgoingMail } from '../../adapters/mailer.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { createTeam } from '../../services/teams.service.js';

/** Saved reports and their scheduled e-mail (issue 16 #4): who may keep which, bad input, and the mail itself. */
let t: TestApp;
let requester: TestUser;
let agent: TestUser;
let other: TestUser;
let manager: TestUser;
let network: string;
let databaseTeam: string;
const sent: OutgoingMail[] = [];

beforeAll(async () => {
  t = await createTestApp();
  requester = await t.user('requester', { name: 'Rita Requester' });
  agent = await t.user('agent', { name: 'Ana Agent', email: 'ana@reports.test' });
  other = await t.user('agent', { name: 'Otto Other' });
  manager = await t.user('manager', { name: 'Mia Manager', email: 'mia@reports.test' });
  network = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id], managerId: null })).id;
  databaseTeam = (await createTeam(t.deps, { name: 'Database', memberIds: [other.user.id], managerId: null })).id;
});
afterAll(() => t.close());

const sweep = () =>
  runDueJobs(
    t.deps,
    buildJobRegistry({
      mail: {
        ...NO_DELIVERY.mail,
        mailer: { send: async (m) => void sent.push(m) },
        messageIdDomain: 'firebreak.test',
        publicUrl: 'https://desk.example.test',
      },
    }),
    WORKER_OPTIONS,
  );

const definition = (fields: Record<string, unknown> = {}) => ({
  name: 'Weekly desk',
  kpis: ['sla-compliance', 'time-to-resolve'],
  filters: { periodDays: 7 },
  schedule: null,
  recipients: [],
  ...fields,
});
const save = (who: TestUser, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/reports/saved', headers: who.headers, payload: payload as object });

describe('saved reports', () => {
  it('are kept by staff, each seeing only their own; requesters and strangers are refused', async () => {
    expect((await save(requester, definition())).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports/saved' })).statusCode).toBe(401);
    const created = await save(agent, definition({ name: 'My team', filters: { periodDays: 30, teamId: [network] } }));
    expect(created.statusCode, created.body).toBe(201);
    const id = json(created).id;
    expect(json(created)).toMatchObject({ name: 'My team', schedule: null, nextSendAt: null, owner: { name: 'Ana Agent' } });
    // Another agent neither sees, changes nor removes it.
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/reports/saved', headers: other.headers })).items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/reports/saved/${id}`, headers: other.headers })).statusCode).toBe(404);
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/reports/saved/${id}`, headers: other.headers, payload: definition() });
    expect(put.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/reports/saved/${id}`, headers: other.headers })).statusCode).toBe(404);
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/v1/reports/saved', headers: agent.headers }));
    expect(mine.items.map((r: { name: string }) => r.name)).toEqual(['My team']);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/reports/saved/${id}`, headers: agent.headers })).statusCode).toBe(204);
  });

  it('refuse bad definitions with the field named, and save nothing', async () => {
    const cases: [unknown, string][] = [
      [definition({ kpis: ['mttr'] }), 'kpis'],
      [definition({ kpis: [] }), 'kpis'],
      [definition({ filters: { periodDays: 0 } }), 'filters'],
      [definition({ name: ' ' }), 'name'],
      [definition({ schedule: 'daily' }), 'schedule'],
      [definition({ schedule: 'weekly', recipients: [] }), 'recipients'],
      [definition({ schedule: 'weekly', recipients: ['someone@outside.example'] }), 'recipients'],
      [definition({ recipients: [requester.user.email] }), 'recipients'],
      [definition({ filters: { periodDays: 7, timeZone: 'Mars/Olympus' } }), 'timeZone'],
    ];
    for (const [payload, field] of cases) {
      const response = await save(manager, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(json(response).errors ?? json(response).detail)).toContain(field);
    }
    // An agent may not save a report over another team's work.
    expect((await save(agent, definition({ filters: { periodDays: 7, teamId: [databaseTeam] } }))).statusCode).toBe(403);
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/reports/saved', headers: manager.headers })).items).toEqual([]);
  });
});

describe('a scheduled report', () => {
  it('is mailed every Monday at 07:00 in its time zone, once, as an escaped HTML summary with the CSV attached', async () => {
    t.clock.set('2026-03-04T10:00:00Z'); // a Wednesday
    const created = await save(
      manager,
      definition({
        name: 'Desk <b>weekly</b> & "more"',
        kpis: ['sla-compliance', 'time-to-resolve', 'major-incidents'],
        filters: { periodDays: 7, timeZone: 'Europe/Berlin' },
        schedule: 'weekly',
        recipients: ['Mia@reports.test', 'ana@reports.test'],
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    // Monday 2026-03-09 07:00 in Berlin (UTC+1).
    expect(json(created)).toMatchObject({ nextSendAt: '2026-03-09T06:00:00.000Z', scheduleLabel: 'Every Monday' });
    await sweep();
    expect(sent).toEqual([]);
    t.clock.set('2026-03-09T06:00:00Z');
    await sweep();
    await sweep();
    expect(sent.map((m) => m.to).sort()).toEqual(['ana@reports.test', 'mia@reports.test']);
    const mail = sent[0];
    expect(mail.subject).toBe('Desk <b>weekly</b> & "more" — 2026-03-02 to 2026-03-08');
    expect(mail.html).toContain('Desk &lt;b&gt;weekly&lt;/b&gt; &amp; &quot;more&quot;');
    expect(mail.html).not.toContain('<b>weekly</b>');
    expect(mail.html).toContain('SLA compliance');
    expect(mail.html).toContain('https://desk.example.test/desk/dashboard');
    expect(mail.attachments).toHaveLength(1);
    const [csv] = mail.attachments ?? [];
    expect(csv.filename).toBe('desk-b-weekly-b-more_2026-03-02_2026-03-08.csv');
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.content.split('\r\n').slice(0, 3)).toEqual(['SLA compliance', 'tickets,met,breached,rate', '0,0,0,']);
    expect(csv.content).toContain('Time to resolve');
    // The next Monday is set; nothing more is sent until then.
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/reports/saved/${json(created).id}`, headers: manager.headers }));
    expect(after.nextSendAt).toBe('2026-03-16T06:00:00.000Z');
    t.clock.set('2026-03-15T23:00:00Z');
    await sweep();
    expect(sent).toHaveLength(2);
  });
});

describe('the queue filters the SLA and satisfaction tiles drill down to', () => {
  it('take true or false, and refuse anything else naming the filter', async () => {
    const list = (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: manager.headers });
    expect((await list('slaBreached=true&rated=false')).statusCode).toBe(200);
    const bad = await list('slaBreached=maybe');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(json(bad))).toContain('slaBreached');
    expect((await list('rated=true&ratedFrom=yesterday')).statusCode).toBe(400);
  });
});
