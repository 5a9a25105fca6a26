import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Page } from '../../../../core/contracts/common.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let teams: Record<string, string>;
let categories: Record<string, string>;
const created: { id: string; number: string; priority: number; state: string }[] = [];

async function post(user: TestUser, url: string, payload: unknown) {
  const res = await t.app.inject({ method: 'POST', url, headers: user.headers, payload: payload as Record<string, unknown> });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return json(res);
}

async function list(user: TestUser, query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: user.headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<{
    items: { id: string; number: string; priority: number; state: string; team: { name: string } | null; openedAt: string }[];
    nextCursor: string | null;
  }>(res);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  teams = {
    desk: (await post(admin, '/api/v1/teams', { name: 'Service Desk' })).id,
    network: (await post(admin, '/api/v1/teams', { name: 'Network' })).id,
  };
  const networkCategory = await post(admin, '/api/v1/categories', { name: 'Network', defaultTeamId: teams.desk });
  const wifi = await post(admin, '/api/v1/categories', { name: 'Wi-Fi', parentId: networkCategory.id, defaultTeamId: teams.network });
  const vpn = await post(admin, '/api/v1/categories', { name: 'VPN', parentId: networkCategory.id });
  categories = { network: networkCategory.id, wifi: wifi.id, vpn: vpn.id };

  // 30 tickets, opened a minute apart, with a spread of impact/urgency, category and state.
  for (let i = 0; i < 30; i++) {
    t.clock.advance(60_000);
    const ticket = await post(i % 3 === 0 ? requester : agent, '/api/v1/tickets', {
      title: i % 5 === 0 ? `Wi-Fi disconnects on floor ${i}` : `Laptop issue ${i}`,
      description: i === 7 ? 'The projector in room Andromeda flickers' : 'details',
      impact: (i % 3) + 1,
      urgency: ((i >> 1) % 3) + 1,
      categoryId: categories.network,
      subcategoryId: i % 2 === 0 ? categories.wifi : categories.vpn,
    });
    if (i % 4 === 0) {
      await post(agent, `/api/v1/tickets/${ticket.id}/transitions`, { to: 'in_progress' });
      ticket.state = 'in_progress';
    }
    created.push(ticket);
  }
});

afterAll(() => t.close());

describe('routing a new ticket', () => {
  it("sends it to the subcategory's team, else the category's", async () => {
    const all = await list(agent, 'limit=200');
    const wifiTickets = all.items.filter((i) => i.team?.name === 'Network');
    const deskTickets = all.items.filter((i) => i.team?.name === 'Service Desk');
    expect(wifiTickets).toHaveLength(15);
    expect(deskTickets).toHaveLength(15);
  });
});

describe('listing tickets', () => {
  it('pages through everything with a cursor, each ticket exactly once, newest first by default', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(agent, `limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toEqual([...created].reverse().map((c) => c.id));
  });

  it('sorts by priority across pages, ties broken by age', async () => {
    const all: { priority: number; openedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(agent, `sort=priority&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(30);
    const sorted = [...all].sort((a, b) => a.priority - b.priority || a.openedAt.localeCompare(b.openedAt));
    expect(all).toEqual(sorted);
  });

  it('filters by state, priority, team, assignee, requester and category, combined with AND', async () => {
    const inProgress = await list(agent, 'state=in_progress&limit=200');
    expect(inProgress.items.map((i) => i.id).sort()).toEqual(
      created
        .filter((c) => c.state === 'in_progress')
        .map((c) => c.id)
        .sort(),
    );
    const urgent = await list(agent, 'priority=1,2&limit=200');
    expect(urgent.items.length).toBe(created.filter((c) => c.priority <= 2).length);
    expect(urgent.items.every((i) => i.priority <= 2)).toBe(true);
    const mine = await list(agent, 'assigneeId=me&limit=200');
    expect(mine.items.length).toBe(inProgress.items.length);
    const unassigned = await list(agent, 'assigneeId=none&state=open&limit=200');
    expect(unassigned.items.length).toBe(30 - inProgress.items.length);
    const network = await list(agent, `teamId=${teams.network}&state=new&limit=200`);
    expect(network.items.every((i) => i.team?.name === 'Network' && i.state === 'new')).toBe(true);
    const byRequester = await list(agent, `requesterId=${requester.user.id}&limit=200`);
    expect(byRequester.items).toHaveLength(10);
    const byCategory = await list(agent, `categoryId=${categories.vpn}&limit=200`);
    expect(byCategory.items).toHaveLength(15);
  });

  it('finds tickets by words and word prefixes in number, title and description', async () => {
    expect((await list(agent, 'q=wi-fi disconn')).items).toHaveLength(6);
    expect((await list(agent, 'q=andromeda')).items.map((i) => i.id)).toEqual([created[7].id]);
    expect((await list(agent, `q=${created[3].number}`)).items.map((i) => i.id)).toEqual([created[3].id]);
    expect((await list(agent, 'q=%27%3B%20drop%20table%20tickets')).items).toEqual([]);
  });

  it('finds words within other filters and a sort, page by page', async () => {
    // Several words and nobody by that name: the full-text condition filters the page's own scan.
    const expected = created
      .filter((c, i) => i % 5 === 0 && c.state === 'in_progress')
      .sort((a, b) => a.priority - b.priority || created.indexOf(a) - created.indexOf(b))
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(agent, `q=wi-fi disconn&state=in_progress&sort=priority&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('answers every ticket of a page exactly as the contract says, with the names it refers to', async () => {
    // The page is serialised without re-checking each field (presented-json.ts): the contract's
    // strict parse finds nothing missing, malformed or extra in what the presenter wrote.
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?sort=priority&limit=50', headers: agent.headers });
    const body = json(res);
    const strictPage = Page(Ticket.strict());
    expect(strictPage.parse(body)).toEqual(body);
    const wifi = body.items.find((i: { id: string }) => i.id === created[0].id);
    expect(wifi.team.name).toBe('Network');
    expect(wifi.category.name).toBe('Network');
    expect(wifi.requester.id).toBe(requester.user.id);
    expect(wifi.requester.name).toBe(requester.user.name);
  });

  it('shows a requester only their own tickets, whatever they ask for', async () => {
    expect((await list(requester, 'limit=200')).items).toHaveLength(10);
    expect((await list(requester, `requesterId=${agent.user.id}&limit=200`)).items).toEqual([]);
  });

  it('shows a requester the tickets they reported for someone else', async () => {
    const colleague = await t.user('requester');
    const onBehalf = await post(requester, '/api/v1/tickets', { title: 'Printer jam for my colleague' });
    expect(onBehalf.requester.id).toBe(requester.user.id);
    // An agent reports for the colleague; the colleague sees it though they did not report it.
    const byDesk = await post(agent, '/api/v1/tickets', { title: 'Desk call for colleague', requesterId: colleague.user.id });
    const theirs = await list(colleague, 'limit=200');
    expect(theirs.items.map((i) => i.id)).toEqual([byDesk.id]);
  });

  it('refuses a cursor from another sort, and bad filter values, naming the parameter', async () => {
    const page = await list(agent, 'limit=2');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets?sort=priority&cursor=${page.nextCursor}`,
      headers: agent.headers,
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].field).toBe('cursor');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?state=broken', headers: agent.headers });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toMatch(/^state/);
  });
});
