import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTestTicket } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { routingModels } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { createCategory, createService } from '../../services/catalog.service.js';
import { createTeam } from '../../services/teams.service.js';
import { transitionTicket } from '../../services/ticket-work.service.js';

/**
 * The learned router through the API (issue 18, item 5): who may train, suggest and read it; the
 * training job; "not enough history"; a model of an older format retrained; bad input refused.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let network: string;
let identity: string;
let connectivity: string;
let accounts: string;
let vpnService: string;

const sweep = () => runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const status = async (who: TestUser = admin) => t.app.inject({ method: 'GET', url: '/api/v1/routing/model', headers: who.headers });
const train = (who: TestUser = admin) => t.app.inject({ method: 'POST', url: '/api/v1/routing/model/train', headers: who.headers });
const suggest = (who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/routing/suggestions', headers: who.headers, payload });

const NETWORK_WORDS = ['vpn', 'wifi', 'router', 'latency', 'dns', 'switch', 'firewall', 'proxy'];
const IDENTITY_WORDS = ['password', 'login', 'account', 'locked', 'mfa', 'reset', 'sso', 'token'];

async function resolved(i: number, team: 'network' | 'identity'): Promise<void> {
  const words = team === 'network' ? NETWORK_WORDS : IDENTITY_WORDS;
  const ticket = await reportTestTicket(t.deps, agent.user, `${words[i % 8]} problem ${words[(i + 3) % 8]}`, {
    description: `Since this morning the ${words[(i + 5) % 8]} does not work, please help`,
    teamId: team === 'network' ? network : identity,
    categoryId: team === 'network' ? connectivity : accounts,
  });
  await transitionTicket(t.deps, agent.user, ticket.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed' });
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  network = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id], managerId: null })).id;
  identity = (await createTeam(t.deps, { name: 'Identity', memberIds: [agent.user.id], managerId: null })).id;
  connectivity = (await createCategory(t.deps, { name: 'Connectivity' })).id;
  accounts = (await createCategory(t.deps, { name: 'Accounts' })).id;
  vpnService = (await createService(t.deps, { name: 'Remote access' })).id;
});
afterAll(() => t.close());

describe('the learned router', () => {
  it('refuses training and its figures to everyone but admins, and suggestions to requesters', async () => {
    expect((await train(agent)).statusCode).toBe(403);
    expect((await status(agent)).statusCode).toBe(403);
    expect((await suggest(requester, { title: 'vpn down' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/routing/model' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/routing/suggestions', payload: { title: 'x' } })).statusCode).toBe(401);
    expect(json(await status())).toMatchObject({ state: 'none', training: false, teams: null });
  });

  it('says "not enough history" and keeps no model when there are too few resolved tickets', async () => {
    for (let i = 0; i < 3; i++) await resolved(i, 'network');
    const accepted = await train();
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(json(await status())).toMatchObject({ state: 'none', training: true });
    await sweep();
    const body = json(await status());
    expect(body).toMatchObject({ state: 'not_enough_history', training: false, teams: null });
    expect(body.reason).toMatch(/Not enough history: only 3 resolved tickets/);
    expect(json(await suggest(agent, { title: 'vpn down' }))).toEqual({ teams: [], categories: [] });
  });

  it('trains through the job on the resolved tickets, shows its evaluation, and suggests ranked teams and categories', async () => {
    for (let i = 3; i < 14; i++) await resolved(i, 'network');
    for (let i = 0; i < 14; i++) await resolved(i, 'identity');
    // An open ticket is not learned from.
    await reportTestTicket(t.deps, agent.user, 'vpn router', { teamId: identity });
    t.clock.advance(60_000);
    expect((await train()).statusCode).toBe(202);
    await sweep();
    const body = json(await status());
    expect(body.state, JSON.stringify(body)).toBe('ready');
    expect(body.teams).toMatchObject({ trainedOn: 22, examples: 6, classes: 2 });
    expect(body.teams.accuracy).toBeGreaterThan(body.teams.majorityBaseline);
    expect(body.teams.macroF1).toBeGreaterThan(0.5);
    expect(body.categories).toMatchObject({ classes: 2 });
    expect(body.trainingMs).toBeGreaterThanOrEqual(0);

    const answer = await suggest(agent, { title: 'The wifi router drops', description: 'dns latency all day', serviceId: vpnService });
    expect(answer.statusCode, answer.body).toBe(200);
    const { teams, categories } = json(answer);
    expect(teams.map((s: { name: string }) => s.name)).toEqual(['Network', 'Identity']);
    expect(teams[0].confidence).toBeGreaterThan(teams[1].confidence);
    expect(teams[0].confidence + teams[1].confidence).toBeLessThanOrEqual(1 + 1e-9);
    expect(teams[0].id).toBe(network);
    expect(categories[0]).toMatchObject({ id: connectivity, name: 'Connectivity' });
    expect(json(await suggest(agent, { title: 'Account locked', description: 'password reset and mfa' })).teams[0].name).toBe('Identity');
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const empty = await suggest(agent, { title: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).errors[0].field).toMatch(/title/);
    const unknown = await suggest(agent, { title: 'vpn', serviceId: '0b7f3c52-1d4e-4a8b-9c6d-2e5f7a9b1c3d' });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).errors).toEqual([{ field: 'serviceId', message: 'is not a known service' }]);
  });

  it('retrains a stored model of an older format instead of reading it', async () => {
    const [latest] = await t.deps.db.select().from(routingModels).orderBy(desc(routingModels.trainedAt)).limit(1);
    await t.deps.db.update(routingModels).set({ format: 0 });
    expect(json(await suggest(agent, { title: 'vpn down' }))).toEqual({ teams: [], categories: [] });
    const body = json(await status());
    expect(body).toMatchObject({ state: 'none', training: true });
    expect(body.reason).toMatch(/format 0/);
    t.clock.advance(1000);
    await sweep();
    const after = json(await status());
    expect(after.state).toBe('ready');
    expect(after.trainedAt).not.toBe(latest.trainedAt.toISOString());
    expect(json(await suggest(agent, { title: 'vpn router down' })).teams[0].name).toBe('Network');
  });
});
