import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_IDS } from '../../../../core/kpis/catalogue.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { createTeam } from '../../services/teams.service.js';

/** Reports (issue 16 #3): who may read which figures, bad input, CSV, and figures from real ticket work. */
let t: TestApp;
let requester: TestUser;
let agent: TestUser;
let outsider: TestUser;
let teamless: TestUser;
let manager: TestUser;
let network: string;
let databaseTeam: string;
const HOUR = 3_600_000;
const START = '2026-03-02T08:00:00.000Z';

beforeAll(async () => {
  t = await createTestApp();
  requester = await t.user('requester', { name: 'Rita Requester' });
  agent = await t.user('agent', { name: 'Ana Agent' });
  outsider = await t.user('agent', { name: 'Otto Other' });
  teamless = await t.user('agent', { name: 'Tess Teamless' });
  manager = await t.user('manager', { name: 'Mia Manager' });
  network = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id], managerId: null })).id;
  databaseTeam = (await createTeam(t.deps, { name: 'Database', memberIds: [outsider.user.id], managerId: null })).id;
  // Network: one ticket resolved after 3 hours with one reply (first contact), one reopened and resolved again.
  await resolvedTicket('VPN drops', agent, network, 3 * HOUR);
  const reopened = await resolvedTicket('Wi-Fi slow', agent, network, HOUR);
  await move(reopened, requester, 'in_progress', { reason: 'Still slow' });
  await move(reopened, agent, 'resolved', { resolutionCode: 'solved_permanently', resolutionNotes: 'New access point' });
  // Database: one resolved after 10 hours.
  await resolvedTicket('Backups failed', outsider, databaseTeam, 10 * HOUR);
  t.clock.set('2026-03-05T08:00:00Z');
});
afterAll(() => t.close());

async function move(id: string, who: TestUser, to: string, extra: Record<string, unknown> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/transitions`,
    headers: who.headers,
    payload: { to, ...extra },
  });
  expect(response.statusCode, response.body).toBe(200);
}

async function resolvedTicket(title: string, owner: TestUser, teamId: string, after: number): Promise<string> {
  t.clock.set(START);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: requester.headers,
    payload: { kind: 'incident', title, description: '', impact: 3, urgency: 3 },
  });
  const id = json(created).id as string;
  await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/tickets/${id}`,
    headers: manager.headers,
    payload: { teamId, assigneeId: owner.user.id },
  });
  await move(id, owner, 'in_progress');
  await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/comments`,
    headers: owner.headers,
    payload: { body: 'Looking now', visibility: 'public' },
  });
  t.clock.advance(after);
  await move(id, owner, 'resolved', { resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed' });
  return id;
}

const report = (who: TestUser, path: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `/api/v1/reports/${path}`, headers: { ...who.headers, ...headers } });

describe('who may read reports', () => {
  it('refuses requesters and people not signed in', async () => {
    expect((await report(requester, 'time-to-resolve')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports/time-to-resolve' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: requester.headers })).statusCode).toBe(403);
  });

  it('shows an agent only their own teams, and refuses another team by name', async () => {
    const own = json(await report(agent, 'time-to-resolve'));
    expect(own.teamIds).toEqual([network]);
    expect(own.result.count).toBe(2);
    const other = await report(agent, `time-to-resolve?teamId=${databaseTeam}`);
    expect(other.statusCode).toBe(403);
    expect(json(other).detail).toMatch(/own teams/);
    expect((await report(teamless, 'time-to-resolve')).statusCode).toBe(403);
  });

  it('shows managers every team, or the teams they name', async () => {
    expect(json(await report(manager, 'time-to-resolve')).result.count).toBe(3);
    expect(json(await report(manager, `time-to-resolve?teamId=${databaseTeam}`)).result).toMatchObject({ count: 1, meanMs: 10 * HOUR });
  });
});

describe('the figures', () => {
  it('come from the work done: time to resolve, first contact, reopen rate, created per day', async () => {
    const ttr = json(await report(manager, `time-to-resolve?teamId=${network}`));
    expect(ttr.label).toBe('Time to resolve');
    expect(ttr.definition).toMatch(/Resolved − opened/);
    // VPN 3 h; Wi-Fi resolved after 1 h, reopened and resolved again at the same instant.
    expect(ttr.result).toMatchObject({ count: 2, meanMs: 2 * HOUR, medianMs: 2 * HOUR });
    expect(json(await report(manager, `first-contact-resolution?teamId=${network}`)).result).toEqual({ total: 2, count: 1, rate: 0.5 });
    expect(json(await report(manager, 'reopen-rate')).result).toEqual({ total: 3, count: 1, rate: 1 / 3 });
    const days = json(await report(manager, 'created-vs-resolved?from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z')).result.days;
    expect(days).toEqual([
      { day: '2026-03-01', created: 0, resolved: 0 },
      { day: '2026-03-02', created: 3, resolved: 3 },
      { day: '2026-03-03', created: 0, resolved: 0 },
    ]);
  });

  it('answer CSV for ?format=csv and for Accept: text/csv, as a download', async () => {
    const byQuery = await report(manager, 'created-vs-resolved?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z&format=csv');
    expect(byQuery.statusCode).toBe(200);
    expect(byQuery.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byQuery.headers['content-disposition']).toBe('attachment; filename="created-vs-resolved_2026-03-02_2026-03-03.csv"');
    expect(byQuery.body).toBe('day,created,resolved\r\n2026-03-02,3,3\r\n');
    const byAccept = await report(manager, 'reopen-rate', { accept: 'text/csv' });
    expect(byAccept.body).toBe('tickets,count,rate\r\n3,1,0.3333333333333333\r\n');
  });

  it('answer every KPI, in JSON and in CSV', async () => {
    for (const kpi of KPI_IDS) {
      const asJson = await report(manager, kpi);
      expect(asJson.statusCode, `${kpi}: ${asJson.body}`).toBe(200);
      expect(json(asJson).kpi).toBe(kpi);
      const asCsv = await report(manager, `${kpi}?format=csv`);
      expect(asCsv.statusCode, kpi).toBe(200);
      expect(asCsv.body, kpi).toMatch(/^[a-z_]+,/);
    }
    expect(json(await report(manager, 'open-work')).result.total).toBe(0);
  });

  it('list every KPI with its definition', async () => {
    const items = json(await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: agent.headers })).items;
    expect(items.map((i: { kpi: string }) => i.kpi)).toContain('first-contact-resolution');
    expect(items.every((i: { definition: string }) => i.definition.length > 20)).toBe(true);
  });
});

describe('bad input', () => {
  it('names the field at fault', async () => {
    const cases: [string, string][] = [
      ['mttr', 'kpi'],
      ['time-to-resolve?from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
      ['time-to-resolve?from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
      ['time-to-resolve?timeZone=Mars/Olympus', 'timeZone'],
      ['time-to-resolve?priority=9', 'priority'],
      ['time-to-resolve?teamId=network', 'teamId'],
      ['time-to-resolve?format=xlsx', 'format'],
      ['time-to-resolve?from=yesterday', 'from'],
    ];
    for (const [path, field] of cases) {
      const response = await report(manager, path);
      expect(response.statusCode, path).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(
        json(response).errors.map((e: { field: string }) => e.field.split('.')[0]),
        path,
      ).toContain(field);
    }
  });
});
