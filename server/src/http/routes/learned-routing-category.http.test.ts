import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTestTicket, reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { createCategory } from '../../services/catalog.service.js';
import { createTeam } from '../../services/teams.service.js';
import { transitionTicket } from '../../services/ticket-work.service.js';

/**
 * The learned router's category (issue 18, item 5): a ticket reported without a category gets
 * the router's above the admin's threshold (said on its timeline, and the category's default
 * team follows), and only a suggestion below it; a category someone chose is never replaced.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let networkTeam: string;
let networkCategory: string;
let accessCategory: string;

const putSettings = (autoRouteAbove: number | null) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/v1/routing/settings',
    headers: admin.headers,
    payload: { autoRouteAbove, retrainEveryHours: null },
  });
const timeline = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/timeline`, headers: agent.headers })).items;

const NETWORK_WORDS = ['vpn', 'wifi', 'router', 'latency', 'dns', 'switch', 'firewall', 'proxy'];
const ACCESS_WORDS = ['password', 'login', 'account', 'locked', 'mfa', 'reset', 'sso', 'token'];
const IDENTITY_TICKET = {
  kind: 'incident',
  title: 'Account locked after password reset',
  description: 'mfa token and sso login fail',
  impact: 3,
  urgency: 3,
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  networkTeam = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id] })).id;
  const accessTeam = (await createTeam(t.deps, { name: 'Identity', memberIds: [agent.user.id] })).id;
  networkCategory = (await createCategory(t.deps, { name: 'Network & VPN' })).id;
  // The access category routes to its team, as a desk's categories do.
  accessCategory = (await createCategory(t.deps, { name: 'Identity & Access', defaultTeamId: accessTeam })).id;
  for (let i = 0; i < 14; i++) {
    for (const [categoryId, teamId, words] of [
      [networkCategory, networkTeam, NETWORK_WORDS],
      [accessCategory, accessTeam, ACCESS_WORDS],
    ] as const) {
      const ticket = await reportTestTicket(t.deps, agent.user, `${words[i % 8]} problem ${words[(i + 3) % 8]}`, {
        description: `Since this morning the ${words[(i + 5) % 8]} does not work, please help`,
        categoryId,
        teamId,
      });
      await transitionTicket(t.deps, agent.user, ticket.id, {
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'Fixed',
      });
    }
  }
  await t.app.inject({ method: 'POST', url: '/api/v1/routing/model/train', headers: admin.headers });
  await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
});
afterAll(() => t.close());

describe('the learned router’s category', () => {
  it('only suggests a category while no threshold is set (or below it): the ticket keeps none', async () => {
    expect((await putSettings(null)).statusCode).toBe(200);
    const ticket = await reportTicketViaApi(t, requester, IDENTITY_TICKET);
    expect(ticket.category).toBeNull();
    const suggestions = await t.app.inject({
      method: 'POST',
      url: '/api/v1/routing/suggestions',
      headers: agent.headers,
      payload: { title: ticket.title, description: ticket.description },
    });
    expect(json(suggestions).categories[0]).toMatchObject({ id: accessCategory, name: 'Identity & Access' });
    const [created] = await timeline(ticket.id);
    expect(created.data.routerCategory).toBeUndefined();
  });

  it('gives a ticket without a category the router’s above the threshold, says so, and the category’s team follows', async () => {
    expect((await putSettings(0.5)).statusCode).toBe(200);
    const ticket = await reportTicketViaApi(t, requester, IDENTITY_TICKET);
    expect(ticket.category).toMatchObject({ id: accessCategory, name: 'Identity & Access' });
    expect(ticket.team).toMatchObject({ name: 'Identity' });
    const [created] = await timeline(ticket.id);
    expect(created.data.routerCategory).toMatchObject({ name: 'Identity & Access' });
    expect(created.data.routerCategory.confidence).toBeGreaterThanOrEqual(0.5);
    expect(created.data.routedBy).toBe('category');
  });

  it('never replaces a category someone chose', async () => {
    const ticket = await reportTicketViaApi(t, agent, { ...IDENTITY_TICKET, categoryId: networkCategory });
    expect(ticket.category).toMatchObject({ id: networkCategory });
    const [created] = await timeline(ticket.id);
    expect(created.data.routerCategory).toBeUndefined();
  });

  it('leaves the category empty when the router is less sure than the threshold', async () => {
    const unsure = { ...IDENTITY_TICKET, title: 'vpn login', description: 'the proxy asks for my password' };
    const suggestions = await t.app.inject({
      method: 'POST',
      url: '/api/v1/routing/suggestions',
      headers: agent.headers,
      payload: { title: unsure.title, description: unsure.description },
    });
    const best = json(suggestions).categories[0].confidence;
    const threshold = Math.max(0.5, Math.min(1, best + 0.05));
    expect(best).toBeLessThan(threshold);
    expect((await putSettings(threshold)).statusCode).toBe(200);
    const ticket = await reportTicketViaApi(t, requester, unsure);
    expect(ticket.category).toBeNull();
    const [created] = await timeline(ticket.id);
    expect(created.data.routerCategory).toBeUndefined();
  });
  it('counts its category decisions in Admin › Routing as it does teams: set, corrected, suggested, taken, another chosen', async () => {
    const feedback = async () =>
      json(await t.app.inject({ method: 'GET', url: '/api/v1/routing/model', headers: admin.headers })).feedback.categories;
    const giveCategory = async (id: string, categoryId: string) => {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: agent.headers, payload: { categoryId } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const before = await feedback();
    expect((await putSettings(0.5)).statusCode).toBe(200);
    const set = await reportTicketViaApi(t, requester, IDENTITY_TICKET);
    expect(set.category).toMatchObject({ id: accessCategory });
    await giveCategory(set.id, networkCategory); // the agent corrects it
    // A threshold the router does not reach: only suggested, and the ticket keeps no category.
    const unsure = { ...IDENTITY_TICKET, title: 'vpn login', description: 'the proxy asks for my password' };
    const suggestions = await t.app.inject({
      method: 'POST',
      url: '/api/v1/routing/suggestions',
      headers: agent.headers,
      payload: { title: unsure.title, description: unsure.description },
    });
    const best = json(suggestions).categories[0];
    expect((await putSettings(Math.max(0.5, Math.min(1, best.confidence + 0.05)))).statusCode).toBe(200);
    const taken = await reportTicketViaApi(t, requester, unsure);
    const other = await reportTicketViaApi(t, requester, unsure);
    expect([taken.category, other.category]).toEqual([null, null]);
    await giveCategory(taken.id, best.id); // the router's suggestion
    await giveCategory(other.id, best.id === accessCategory ? networkCategory : accessCategory);
    const after = await feedback();
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, (v as number) - before[k]]));
    expect(delta).toEqual({ routed: 1, corrected: 1, suggested: 2, taken: 1, otherChosen: 1 });
  });
});
