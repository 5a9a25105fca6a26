import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * Issue 12, items 1 and 3: the desk logs a caller's ticket (a requester found or added on the
 * spot, the channel it came by), corrects the requester later, and finds any ticket by a partial
 * number, a requester's name or e-mail, or its text — across every queue.
 */

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let manager: TestUser;
let requester: TestUser;
let becker: TestUser;
let other: TestUser;

interface TicketOut {
  id: string;
  number: string;
  title: string;
  channel: string;
  requester: { id: string; name: string };
  version: number;
}

async function post(user: TestUser, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: user.headers, payload: payload as Record<string, unknown> });
}

async function search(user: TestUser, query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}&limit=200`, headers: user.headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: TicketOut[] }>(res).items;
}

const created: TicketOut[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  manager = await t.user('manager');
  requester = await t.user('requester');
  becker = await t.user('requester', { name: 'Anna Becker', email: 'anna.becker@example.test' });
  other = await t.user('requester', { name: 'Omar Haddad', email: 'o.haddad@example.test' });
  // Enough tickets that number fragments match several and must be told apart.
  for (let i = 0; i < 25; i++) {
    t.clock.advance(60_000);
    const res = await post(agent, '/api/v1/tickets', {
      title: i === 3 ? 'Printer on floor 2 jams' : `Laptop will not start ${i}`,
      description: i === 5 ? 'The projector in room Andromeda flickers' : 'details',
      requesterId: i % 2 === 0 ? becker.user.id : other.user.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    created.push(json(res));
  }
});

afterAll(() => t.close());

describe('the desk logs a ticket for a caller', () => {
  it('records the requester, who reported it and the channel it came by (walk-in)', async () => {
    const res = await post(agent, '/api/v1/tickets', {
      title: 'Came to the desk: badge does not open the door',
      requesterId: becker.user.id,
      channel: 'walk_in',
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = json(res);
    expect(ticket.requester).toEqual({ id: becker.user.id, name: 'Anna Becker' });
    expect(ticket.reportedById).toBe(agent.user.id);
    expect(ticket.channel).toBe('walk_in');
  });

  it('refuses an unknown channel, naming the field', async () => {
    const res = await post(agent, '/api/v1/tickets', { title: 'Carrier pigeon', requesterId: becker.user.id, channel: 'pigeon' });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toContainEqual(expect.objectContaining({ field: 'channel' }));
  });

  it('lets agents and managers add a requester on the spot, who can then be the requester', async () => {
    for (const who of [agent, manager]) {
      const email = `caller-${who.user.role}@example.test`;
      const res = await post(who, '/api/v1/requesters', { name: `New Caller ${who.user.role}`, email });
      expect(res.statusCode, res.body).toBe(201);
      const person = json(res);
      expect(person).toMatchObject({ name: `New Caller ${who.user.role}`, email, role: 'requester', active: true });
      const ticket = await post(who, '/api/v1/tickets', { title: 'Phoned in', requesterId: person.id, channel: 'phone' });
      expect(ticket.statusCode, ticket.body).toBe(201);
      expect(json(ticket).requester.id).toBe(person.id);
    }
  });

  it('refuses a second person with the same e-mail, and bad input, naming the field', async () => {
    const twice = await post(agent, '/api/v1/requesters', { name: 'Anna B.', email: 'ANNA.BECKER@example.test' });
    expect(twice.statusCode).toBe(409);
    expect(json(twice).errors).toContainEqual(expect.objectContaining({ field: 'email' }));
    const bad = await post(agent, '/api/v1/requesters', { name: ' ', email: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    const fields = json(bad).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'email']));
    // Only requesters: the desk cannot make someone staff this way.
    const role = await post(agent, '/api/v1/requesters', { name: 'Sneaky', email: 'sneaky@example.test', role: 'admin' });
    expect(role.statusCode).toBe(400);
  });

  it('lets staff find people by part of a name or e-mail, a page at a time', async () => {
    const find = async (q: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/users?q=${encodeURIComponent(q)}`, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      return json(res).items.map((u: { name: string }) => u.name);
    };
    expect(await find('becker')).toEqual(['Anna Becker']);
    expect(await find('becker anna')).toEqual(['Anna Becker']);
    expect(await find('o.hadd')).toEqual(['Omar Haddad']);
    const page = json(await t.app.inject({ method: 'GET', url: '/api/v1/users?q=example&limit=2', headers: agent.headers }));
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('lets staff change the requester, on the timeline with both names', async () => {
    const [ticket] = created;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: { ...agent.headers, 'if-match': `"${ticket.version}"` },
      payload: { requesterId: other.user.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).requester).toEqual({ id: other.user.id, name: 'Omar Haddad' });
    const timeline = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline`, headers: agent.headers }));
    const change = timeline.items
      .flatMap((e: { type: string; changes: unknown[] | null }) => (e.type === 'field_changed' ? (e.changes ?? []) : []))
      .find((c: { field: string }) => c.field === 'requesterId');
    expect(change).toMatchObject({ from: becker.user.id, to: other.user.id, fromName: 'Anna Becker', toName: 'Omar Haddad' });
    // The old requester no longer sees it; the new one does.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: becker.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: other.headers })).statusCode).toBe(200);
  });

  it('refuses a requester who does not exist, and changes nothing', async () => {
    const ticket = created[1];
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { requesterId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors).toContainEqual(expect.objectContaining({ field: 'requesterId' }));
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers }));
    expect(after.version).toBe(ticket.version);
  });
});

describe('one search for the whole desk', () => {
  it('finds a ticket by its number without prefix or zeros ("12" finds INC0000012)', async () => {
    const target = created[11];
    const digits = target.number.replace(/^\D+0*/, '');
    const found = await search(agent, `q=${digits}`);
    expect(found.map((i) => i.number)).toContain(target.number);
  });

  it('finds tickets by part of their number, and only those', async () => {
    const target = created[11];
    const fragment = target.number.slice(-3);
    const found = await search(agent, `q=${fragment}`);
    expect(found.map((i) => i.number)).toContain(target.number);
    expect(found.every((i) => i.number.includes(fragment))).toBe(true);
    expect((await search(agent, `q=${target.number.toLowerCase()}`)).map((i) => i.number)).toEqual([target.number]);
  });

  it("finds a requester's tickets by their surname or e-mail", async () => {
    const beckers = created.filter((c) => c.requester.id === becker.user.id).map((c) => c.id);
    const bySurname = (await search(agent, 'q=Becker')).map((i) => i.id);
    expect(bySurname).toEqual(expect.arrayContaining(beckers.slice(1)));
    const byEmail = (await search(agent, 'q=o.haddad@example.test')).map((i) => i.requester.id);
    expect(byEmail.length).toBeGreaterThan(0);
    expect(byEmail.every((id) => id === other.user.id)).toBe(true);
  });

  it('still finds text in titles and descriptions, by word prefix', async () => {
    expect((await search(agent, 'q=androm')).map((i) => i.id)).toEqual([created[5].id]);
    expect((await search(agent, 'q=printer%20jams')).map((i) => i.id)).toEqual([created[3].id]);
    expect(await search(agent, 'q=zebra')).toEqual([]);
  });

  it('combines the search with the requester filter', async () => {
    const haddads = await search(agent, `requesterId=${other.user.id}`);
    expect(haddads.length).toBeGreaterThan(0);
    expect(haddads.every((i) => i.requester.id === other.user.id)).toBe(true);
    expect(await search(agent, `requesterId=${other.user.id}&q=Becker`)).toEqual([]);
  });

  it('keeps a queue filtered by requester as a saved view', async () => {
    const res = await post(agent, '/api/v1/me/saved-views', {
      name: 'Omar’s tickets',
      queue: 'open',
      filters: { requesterId: other.user.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).filters).toEqual({ requesterId: other.user.id });
  });

  it("does not let a requester find other people's tickets by name", async () => {
    expect(await search(requester, 'q=Becker')).toEqual([]);
    expect(await search(becker, `q=${created[1].number}`)).toEqual([]);
  });
});

describe('people search and adding people are for staff', () => {
  it('refuses a requester both, and adds nobody', async () => {
    const before = json(await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin.headers })).items.length;
    const searchRes = await t.app.inject({ method: 'GET', url: '/api/v1/users?q=becker', headers: requester.headers });
    expect(searchRes.statusCode).toBe(403);
    const addRes = await post(requester, '/api/v1/requesters', { name: 'Fake Person', email: 'fake@example.test' });
    expect(addRes.statusCode).toBe(403);
    expect(addRes.headers['content-type']).toContain('application/problem+json');
    const after = json(await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin.headers })).items.length;
    expect(after).toBe(before);
  });
});
