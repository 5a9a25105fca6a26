import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let manager: TestUser;
let admin: TestUser;
let rita: TestUser;
const svc: Record<string, string> = {};
let networkCategory: string;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, who: TestUser, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  manager = await t.user('manager', { name: 'Mia Manager' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  // Network ← SSO ← {Email, Payroll}; VPN ← Network too. Printing stands alone.
  const service = async (name: string, dependsOnIds: string[] = []) => {
    const res = await call('POST', '/api/v1/services', admin, { name, dependsOnIds });
    expect(res.statusCode, res.body).toBe(201);
    svc[name] = json(res).id;
  };
  await service('Network');
  await service('SSO', [svc.Network as string]);
  await service('VPN', [svc.Network as string]);
  await service('Email', [svc.SSO as string]);
  await service('Payroll', [svc.SSO as string]);
  await service('Printing');
  networkCategory = json(await call('POST', '/api/v1/categories', admin, { name: 'Network' })).id;
});
afterAll(() => t.close());

async function incident(title: string, fields: Record<string, unknown> = {}, who: TestUser = agent) {
  const res = await call('POST', '/api/v1/tickets', who, { kind: 'incident', title, requesterId: rita.user.id, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; number: string; version: number };
}

async function problem(title: string, fields: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/problems', agent, { title, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; number: string; version: number; kind: string };
}

const timelineTypes = async (id: string) =>
  json(await call('GET', `/api/v1/tickets/${id}/timeline`, agent)).items.map((e: { type: string; data: unknown }) => ({
    type: e.type,
    data: e.data,
  }));

const problemCount = async () => json(await call('GET', '/api/v1/tickets?kind=problem&limit=200', agent)).items.length;

describe('problems are staff-only', () => {
  it('refuses requesters every problem route (403) and hides problem tickets from them (404, never listed)', async () => {
    const own = await incident('My VPN drops', { serviceId: svc.VPN }, rita);
    const p = await problem('VPN tunnels drop', { serviceId: svc.VPN, incidentIds: [own.id] });
    expect((await call('POST', '/api/v1/problems', rita, { title: 'mine' })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/problems/${p.id}`, rita, { workaround: 'x' })).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/problems/${p.id}/known-error`, rita)).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/problems/${p.id}/incidents`, rita, { incidentIds: [own.id] })).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/problems/${p.id}/incidents/${own.id}`, rita)).statusCode).toBe(403);
    for (const path of ['problem-links', 'known-errors', 'service-impact']) {
      expect((await call('GET', `/api/v1/tickets/${own.id}/${path}`, rita)).statusCode).toBe(403);
    }
    expect((await call('GET', `/api/v1/tickets/${p.id}`, rita)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/tickets/${p.id}/timeline`, rita)).statusCode).toBe(404);
    expect(json(await call('GET', '/api/v1/tickets?kind=problem', rita)).items).toEqual([]);
    expect(json(await call('GET', '/api/v1/tickets', rita)).items.map((i: { kind: string }) => i.kind)).not.toContain('problem');
    // Her own incident does not tell her which problem it feeds.
    expect(json(await call('GET', `/api/v1/tickets/${own.id}`, rita)).problemId).toBeNull();
    expect(json(await call('GET', `/api/v1/tickets/${own.id}`, agent)).problemId).toBe(p.id);
    // Nor may she record one through the ticket route.
    expect((await call('POST', '/api/v1/tickets', rita, { kind: 'problem', title: 'x' })).statusCode).toBe(403);
  });

  it('lets managers and admins work problems too', async () => {
    expect((await call('POST', '/api/v1/problems', manager, { title: 'Manager’s problem' })).statusCode).toBe(201);
    expect((await call('POST', '/api/v1/problems', admin, { title: 'Admin’s problem' })).statusCode).toBe(201);
  });

  it('gives a problem no requester but who records it', async () => {
    const res = await call('POST', '/api/v1/tickets', agent, { kind: 'problem', title: 'x', requesterId: rita.user.id });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0].field).toBe('requesterId');
  });
});

describe('creating a problem from incidents and linking', () => {
  it('numbers it PRB…, links the incidents, and records each link on both timelines', async () => {
    const a = await incident('Email bounces', { serviceId: svc.Email });
    const b = await incident('Email slow', { serviceId: svc.Email });
    const p = await problem('Mail relay rejects', { serviceId: svc.Email, incidentIds: [a.id, b.id] });
    expect(p.number).toMatch(/^PRB\d{7}$/);
    expect(p.kind).toBe('problem');
    const links = json(await call('GET', `/api/v1/tickets/${p.id}/problem-links`, agent));
    expect(links.stage).toBe('new');
    expect(links.incidents.map((i: { number: string }) => i.number)).toEqual([a.number, b.number]);
    const fromIncident = json(await call('GET', `/api/v1/tickets/${a.id}/problem-links`, agent));
    expect(fromIncident.problem).toMatchObject({ id: p.id, number: p.number, stage: 'new' });
    expect(await timelineTypes(a.id)).toContainEqual({
      type: 'problem_linked',
      data: expect.objectContaining({ action: 'linked', problemNumber: p.number, incidentNumber: a.number }),
    });
    const onProblem = (await timelineTypes(p.id)).filter((e: { type: string }) => e.type === 'problem_linked');
    expect(onProblem).toHaveLength(2);

    // Unlinking: on both timelines, gone from both pages.
    const problemNow = json(await call('GET', `/api/v1/tickets/${p.id}`, agent));
    const unlinked = await call('DELETE', `/api/v1/problems/${p.id}/incidents/${b.id}`, agent, undefined, {
      'if-match': `"${problemNow.version}"`,
    });
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(json(await call('GET', `/api/v1/tickets/${b.id}/problem-links`, agent)).problem).toBeNull();
    expect(await timelineTypes(b.id)).toContainEqual({ type: 'problem_linked', data: expect.objectContaining({ action: 'unlinked' }) });
    expect(await timelineTypes(p.id)).toContainEqual({ type: 'problem_linked', data: expect.objectContaining({ action: 'unlinked' }) });
    // And linked again through the link route.
    const relinked = await call('POST', `/api/v1/problems/${p.id}/incidents`, agent, { incidentIds: [b.id] });
    expect(relinked.statusCode, relinked.body).toBe(200);
    expect(json(relinked).linked).toEqual([b.id]);
  });

  it('refuses a ticket that does not exist, is not an incident, or belongs to another problem, and changes nothing', async () => {
    const inc = await incident('VPN login fails', { serviceId: svc.VPN });
    const before = await problemCount();
    const ghost = '00000000-0000-4000-8000-000000000000';
    const refused = await call('POST', '/api/v1/problems', agent, { title: 'Ghost', incidentIds: [inc.id, ghost] });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors).toEqual([{ field: 'incidentIds', message: `no incident has the id ${ghost}` }]);
    expect(await problemCount()).toBe(before);
    expect(json(await call('GET', `/api/v1/tickets/${inc.id}`, agent)).problemId).toBeNull();

    const p = await problem('VPN auth');
    const request = json(
      await call('POST', '/api/v1/tickets', agent, { kind: 'service_request', title: 'New laptop', requesterId: rita.user.id }),
    );
    const notIncident = await call('POST', `/api/v1/problems/${p.id}/incidents`, agent, { incidentIds: [request.id] });
    expect(notIncident.statusCode).toBe(422);
    expect(json(notIncident).errors[0]).toMatchObject({ field: 'incidentIds', message: expect.stringContaining('not an incident') });
    const notProblem = await call('POST', `/api/v1/problems/${inc.id}/incidents`, agent, { incidentIds: [request.id] });
    expect(notProblem.statusCode).toBe(422);
    expect((await call('POST', `/api/v1/problems/${ghost}/incidents`, agent, { incidentIds: [inc.id] })).statusCode).toBe(404);
    const badId = await call('POST', `/api/v1/problems/${p.id}/incidents`, agent, { incidentIds: ['nope'] });
    expect(badId.statusCode).toBe(400);
    expect(json(badId).errors[0].field).toContain('incidentIds');

    await call('POST', `/api/v1/problems/${p.id}/incidents`, agent, { incidentIds: [inc.id] });
    const other = await problem('Another');
    const taken = await call('POST', `/api/v1/problems/${other.id}/incidents`, agent, { incidentIds: [inc.id] });
    expect(taken.statusCode).toBe(409);
    expect(json(taken).errors[0].message).toContain('another problem');
    expect(json(await call('GET', `/api/v1/tickets/${other.id}`, agent)).version).toBe(other.version);
    expect(json(await call('GET', `/api/v1/tickets/${inc.id}`, agent)).problemId).toBe(p.id);
  });
});

describe('root cause, workaround and known errors', () => {
  it('edits with If-Match, refuses the fields on an incident, and shows a known error on open incidents of the service', async () => {
    const first = await incident('VPN drops every hour', { serviceId: svc.VPN, categoryId: networkCategory });
    const p = await problem('VPN certificate renewal is manual', { serviceId: svc.VPN, incidentIds: [first.id] });
    const current = json(await call('GET', `/api/v1/tickets/${p.id}`, agent));

    const noWorkaround = await call('PUT', `/api/v1/problems/${p.id}/known-error`, agent);
    expect(noWorkaround.statusCode).toBe(422);
    expect(json(noWorkaround).errors[0].field).toBe('workaround');

    const edited = await call(
      'PATCH',
      `/api/v1/problems/${p.id}`,
      agent,
      { rootCause: 'The gateway certificate expires and nobody renews it.', workaround: 'Reconnect to vpn2.example.com' },
      { 'if-match': `"${current.version}"` },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited)).toMatchObject({ workaround: 'Reconnect to vpn2.example.com', rootCause: expect.stringContaining('certificate') });
    const stale = await call('PATCH', `/api/v1/problems/${p.id}`, manager, { workaround: 'other' }, { 'if-match': `"${current.version}"` });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).detail).toContain('Alex Agent');
    expect(json(await call('GET', `/api/v1/tickets/${p.id}`, agent)).workaround).toBe('Reconnect to vpn2.example.com');

    // Incidents do not take a problem's fields, by either route.
    const onIncident = await call('PATCH', `/api/v1/problems/${first.id}`, agent, { workaround: 'x' });
    expect(onIncident.statusCode).toBe(422);
    expect(json(onIncident).errors[0].field).toBe('workaround');
    expect((await call('PATCH', `/api/v1/tickets/${first.id}`, agent, { workaround: 'x' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/v1/problems/${first.id}/known-error`, agent)).statusCode).toBe(422);

    const marked = await call('PUT', `/api/v1/problems/${p.id}/known-error`, agent);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(json(marked).knownErrorAt).toBe('2026-03-10T09:00:00.000Z');
    expect(json(await call('GET', `/api/v1/tickets/${p.id}/problem-links`, agent)).stage).toBe('known_error');
    const cleared = await call('PATCH', `/api/v1/problems/${p.id}`, agent, { workaround: '' });
    expect(cleared.statusCode).toBe(422);
    expect(json(cleared).errors[0].field).toBe('workaround');

    const next = await incident('VPN disconnects again', { serviceId: svc.VPN });
    const elsewhere = await incident('Printer jams', { serviceId: svc.Printing, categoryId: networkCategory });
    const known = json(await call('GET', `/api/v1/tickets/${next.id}/known-errors`, agent)).items;
    expect(known).toEqual([
      {
        problemId: p.id,
        number: p.number,
        title: 'VPN certificate renewal is manual',
        workaround: 'Reconnect to vpn2.example.com',
        knownErrorAt: '2026-03-10T09:00:00.000Z',
      },
    ]);
    // A problem with a service matches by service only.
    expect(json(await call('GET', `/api/v1/tickets/${elsewhere.id}/known-errors`, agent)).items).toEqual([]);
    expect(await timelineTypes(p.id)).toContainEqual({ type: 'known_error_changed', data: expect.objectContaining({ knownError: true }) });

    // Resolving the problem withdraws the known error.
    await call('POST', `/api/v1/tickets/${p.id}/transitions`, agent, { to: 'in_progress' });
    const resolved = await call('POST', `/api/v1/tickets/${p.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Certificate renewal automated.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(json(await call('GET', `/api/v1/tickets/${next.id}/known-errors`, agent)).items).toEqual([]);
  });

  it('matches by category when the problem names no service', async () => {
    const p = await problem('Wi-Fi roaming drops', { categoryId: networkCategory });
    await call('PATCH', `/api/v1/problems/${p.id}`, agent, { workaround: 'Forget the network and rejoin' });
    expect((await call('PUT', `/api/v1/problems/${p.id}/known-error`, agent)).statusCode).toBe(200);
    const inCategory = await incident('Laptop loses Wi-Fi', { categoryId: networkCategory, serviceId: svc.Printing });
    const other = await incident('Unrelated', { serviceId: svc.Printing });
    expect(
      json(await call('GET', `/api/v1/tickets/${inCategory.id}/known-errors`, agent)).items.map((k: { number: string }) => k.number),
    ).toContain(p.number);
    expect(
      json(await call('GET', `/api/v1/tickets/${other.id}/known-errors`, agent)).items.map((k: { number: string }) => k.number),
    ).not.toContain(p.number);
    // Taking the mark off withdraws it.
    expect((await call('DELETE', `/api/v1/problems/${p.id}/known-error`, agent)).statusCode).toBe(200);
    expect(
      json(await call('GET', `/api/v1/tickets/${inCategory.id}/known-errors`, agent)).items.map((k: { number: string }) => k.number),
    ).not.toContain(p.number);
  });
});

describe('service impact', () => {
  it('lists the services depending on the ticket’s service, nearest first, never itself', async () => {
    const inc = await incident('Core switch down', { serviceId: svc.Network });
    const impact = json(await call('GET', `/api/v1/tickets/${inc.id}/service-impact`, agent));
    expect(impact.service).toEqual({ id: svc.Network, name: 'Network' });
    expect(impact.affected.map((s: { name: string; depth: number; viaName: string }) => [s.name, s.depth, s.viaName])).toEqual(
      expect.arrayContaining([
        ['SSO', 1, 'Network'],
        ['VPN', 1, 'Network'],
        ['Email', 2, 'SSO'],
        ['Payroll', 2, 'SSO'],
      ]),
    );
    expect(impact.affected).toHaveLength(4);
    const p = await problem('Switch firmware bug', { serviceId: svc.SSO });
    expect(
      json(await call('GET', `/api/v1/tickets/${p.id}/service-impact`, agent))
        .affected.map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual(['Email', 'Payroll']);
    const none = await incident('No service');
    expect(json(await call('GET', `/api/v1/tickets/${none.id}/service-impact`, agent))).toEqual({ service: null, affected: [] });
    expect((await call('GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000/service-impact', agent)).statusCode).toBe(404);
  });
});

describe('action items feeding a problem', () => {
  it('takes a problem’s id, and refuses anything else naming problemId', async () => {
    const inc = await incident('Certificate expired on the VPN gateway', { serviceId: svc.VPN });
    const p = await problem('Certificates are renewed by hand');
    const item = { title: 'Automate certificate renewal', ownerId: agent.user.id, dueOn: '2026-03-20' };
    const notProblem = await call('POST', `/api/v1/tickets/${inc.id}/action-items`, agent, { ...item, problemId: inc.id });
    expect(notProblem.statusCode).toBe(422);
    expect(json(notProblem).errors).toEqual([{ field: 'problemId', message: `no problem has the id ${inc.id}` }]);
    const created = await call('POST', `/api/v1/tickets/${inc.id}/action-items`, agent, { ...item, problemId: p.id });
    expect(created.statusCode, created.body).toBe(201);
    expect(json(created).problemId).toBe(p.id);
    const cleared = await call('PATCH', `/api/v1/action-items/${json(created).id}`, agent, { problemId: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(json(cleared).problemId).toBeNull();
  });
});
