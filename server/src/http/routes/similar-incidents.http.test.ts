import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let admin: TestUser;
let rita: TestUser;
let sam: TestUser;
const svc: Record<string, string> = {};

type Method = 'GET' | 'POST';
const call = (method: Method, url: string, who: TestUser, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

async function ticket(title: string, description: string, serviceId: string | null, kind = 'incident', who: TestUser = agent) {
  const res =
    kind === 'problem'
      ? await call('POST', '/api/v1/problems', agent, { title, description, serviceId })
      : await call('POST', '/api/v1/tickets', who, { kind, title, description, serviceId, requesterId: rita.user.id });
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; number: string };
}

async function resolve(id: string, notes: string) {
  expect((await call('POST', `/api/v1/tickets/${id}/transitions`, agent, { to: 'in_progress' })).statusCode).toBe(200);
  const res = await call('POST', `/api/v1/tickets/${id}/transitions`, agent, {
    to: 'resolved',
    resolutionCode: 'solved_permanently',
    resolutionNotes: notes,
  });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  sam = await t.user('requester', { name: 'Sam' });
  for (const name of ['VPN', 'Email']) svc[name] = json(await call('POST', '/api/v1/services', admin, { name })).id;
});
afterAll(() => t.close());

describe('similar past incidents (GET /api/v1/tickets/:id/similar)', () => {
  it('lists the resolved incidents most like the ticket, best first, with their resolutions, never problems or open ones', async () => {
    const sameService = await ticket('VPN certificate error on connect', 'The client says the certificate expired', svc.VPN);
    await resolve(sameService.id, 'Renewed the VPN gateway certificate and restarted the tunnel.');
    const otherService = await ticket('Certificate error on connect', 'certificate expired warning', svc.Email);
    await resolve(otherService.id, 'Mail certificate renewed.');
    const unrelated = await ticket('Printer jammed on floor 3', 'paper stuck', null);
    await resolve(unrelated.id, 'Cleared the paper.');
    const open = await ticket('VPN certificate error on connect again', 'certificate expired', svc.VPN);
    const problem = await ticket('VPN certificate error on connect', 'certificate renewal is manual', svc.VPN, 'problem');
    t.clock.advance(60_000);

    const current = await ticket('VPN certificate error', 'cannot connect: certificate expired', svc.VPN);
    const res = await call('GET', `/api/v1/tickets/${current.id}/similar`, agent);
    expect(res.statusCode, res.body).toBe(200);
    const items = json(res).items as {
      id: string;
      number: string;
      score: number;
      service: { name: string } | null;
      resolutionNotes: string;
      resolutionCode: string;
      resolvedAt: string;
    }[];
    const ids = items.map((i) => i.id);
    expect(ids.slice(0, 2)).toEqual([sameService.id, otherService.id]);
    expect(ids).not.toContain(current.id);
    expect(ids).not.toContain(open.id);
    expect(ids).not.toContain(problem.id);
    expect(ids).not.toContain(unrelated.id);
    expect(items[0]).toMatchObject({
      number: sameService.number,
      title: 'VPN certificate error on connect',
      service: { id: svc.VPN, name: 'VPN' },
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Renewed the VPN gateway certificate and restarted the tunnel.',
    });
    expect(items[0].resolvedAt).toMatch(/^2026-03-10T/);
    expect(items[0].score).toBeGreaterThan(items[1].score);
    for (const i of items) {
      expect(i.score).toBeGreaterThan(0);
      expect(i.score).toBeLessThanOrEqual(1);
    }
  });

  it('answers an empty list for a ticket sharing no words with any past incident', async () => {
    const lonely = await ticket('Zzyzx quux', '', null);
    expect(json(await call('GET', `/api/v1/tickets/${lonely.id}/similar`, agent)).items).toEqual([]);
  });

  it('refuses requesters, even on their own ticket (403), and says not found for a ticket that does not exist (404)', async () => {
    const own = await ticket('My VPN certificate error', 'certificate expired', svc.VPN, 'incident', rita);
    const refused = await call('GET', `/api/v1/tickets/${own.id}/similar`, rita);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await call('GET', `/api/v1/tickets/${own.id}/similar`, sam)).statusCode).toBe(403);
    const missing = await call('GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000/similar', agent);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const bad = await call('GET', '/api/v1/tickets/not-an-id/similar', agent);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('id');
  });
});
