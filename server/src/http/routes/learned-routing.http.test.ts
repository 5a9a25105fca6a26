import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTestTicket, reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { type TrainClassifier, trainOnWorkerThread } from '../../adapters/router-trainer.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { scheduleRetrainingCheck } from '../../services/learned-routing.service.js';
import { trainRouter } from '../../services/routing.service.js';
import { createTeam } from '../../services/teams.service.js';
import { transitionTicket } from '../../services/ticket-work.service.js';

/**
 * The learned router at work (issue 18, item 5): new tickets without a team routed above the
 * admin's threshold (and only suggested below it), people's later choices counted as feedback,
 * retraining on a schedule, and training on a worker thread while the server answers.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let network: string;
let identity: string;

const sweep = () => runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
const overview = async () => json(await t.app.inject({ method: 'GET', url: '/api/v1/routing/model', headers: admin.headers }));
const putSettings = (who: TestUser | null, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/routing/settings', headers: who?.headers ?? {}, payload });
const timeline = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/timeline`, headers: agent.headers })).items;
const giveTeam = async (id: string, teamId: string) => {
  const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: agent.headers, payload: { teamId } });
  expect(res.statusCode, res.body).toBe(200);
};

const NETWORK_WORDS = ['vpn', 'wifi', 'router', 'latency', 'dns', 'switch', 'firewall', 'proxy'];
const IDENTITY_WORDS = ['password', 'login', 'account', 'locked', 'mfa', 'reset', 'sso', 'token'];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  network = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id] })).id;
  identity = (await createTeam(t.deps, { name: 'Identity', memberIds: [agent.user.id] })).id;
  for (let i = 0; i < 14; i++) {
    for (const [teamId, words] of [
      [network, NETWORK_WORDS],
      [identity, IDENTITY_WORDS],
    ] as const) {
      const ticket = await reportTestTicket(t.deps, agent.user, `${words[i % 8]} problem ${words[(i + 3) % 8]}`, {
        description: `Since this morning the ${words[(i + 5) % 8]} does not work, please help`,
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
  await sweep();
});
afterAll(() => t.close());

describe('the learned router at work', () => {
  it('keeps its settings for admins only, and refuses bad values naming the field', async () => {
    expect((await putSettings(agent, { autoRouteAbove: 0.8, retrainEveryHours: null })).statusCode).toBe(403);
    expect((await putSettings(null, { autoRouteAbove: 0.8, retrainEveryHours: null })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/routing/settings', headers: agent.headers })).statusCode).toBe(403);
    const low = await putSettings(admin, { autoRouteAbove: 0.2, retrainEveryHours: null });
    expect(low.statusCode).toBe(400);
    expect(json(low).errors[0]).toMatchObject({ field: 'autoRouteAbove' });
    const fraction = await putSettings(admin, { autoRouteAbove: null, retrainEveryHours: 1.5 });
    expect(json(fraction).errors[0]).toMatchObject({ field: 'retrainEveryHours', message: 'must be a whole number of hours' });
    const stored = await t.app.inject({ method: 'GET', url: '/api/v1/routing/settings', headers: admin.headers });
    expect(json(stored)).toEqual({ autoRouteAbove: null, retrainEveryHours: null });
  });

  it('only suggests below the threshold; the team a person then gives counts as taken or not', async () => {
    const suggested = await reportTicketViaApi(t, requester, {
      kind: 'incident',
      title: 'The wifi router drops',
      description: 'dns latency all day',
      impact: 3,
      urgency: 3,
    });
    expect(suggested.team).toBeNull();
    const other = await reportTicketViaApi(t, requester, { kind: 'incident', title: 'vpn and proxy down', impact: 3, urgency: 3 });
    expect((await overview()).feedback).toMatchObject({ routed: 0, suggested: 2, taken: 0, otherChosen: 0 });
    await giveTeam(suggested.id, network); // what the router suggested
    await giveTeam(other.id, identity); // another team
    expect((await overview()).feedback).toMatchObject({ routed: 0, corrected: 0, suggested: 2, taken: 1, otherChosen: 1 });
  });

  it('routes a new ticket without a team above the threshold, says so on its timeline, and counts a correction', async () => {
    expect((await putSettings(admin, { autoRouteAbove: 0.5, retrainEveryHours: null })).statusCode).toBe(200);
    const routed = await reportTicketViaApi(t, requester, {
      kind: 'incident',
      title: 'Account locked after password reset',
      description: 'mfa token and sso login fail',
      impact: 3,
      urgency: 3,
    });
    expect(routed.team).toMatchObject({ id: identity, name: 'Identity' });
    const [created] = await timeline(routed.id);
    expect(created.type).toBe('created');
    expect(created.data.routedBy).toBe('learned_router');
    expect(created.data.routerConfidence).toBeGreaterThanOrEqual(0.5);
    // An explicit team is never second-guessed.
    const explicit = await reportTestTicket(t.deps, agent.user, 'password reset', { teamId: network });
    expect(explicit.teamId).toBe(network);

    await giveTeam(routed.id, network); // the agent corrects it
    expect((await overview()).feedback).toMatchObject({ routed: 1, corrected: 1, suggested: 2 });
  });

  it('retrains on the admin schedule through the hourly durable check', async () => {
    const before = (await overview()).trainedAt;
    expect((await putSettings(admin, { autoRouteAbove: 0.5, retrainEveryHours: 24 })).statusCode).toBe(200);
    await scheduleRetrainingCheck(t.deps);
    await sweep();
    expect(await overview()).toMatchObject({ trainedAt: before, training: false }); // trained less than 24 hours ago
    t.clock.advance(25 * 3_600_000);
    await sweep(); // the check is due: it asks for training
    expect((await overview()).training).toBe(true);
    await sweep(); // the training runs
    const after = await overview();
    expect(after).toMatchObject({ state: 'ready', training: false });
    expect(after.trainedAt).not.toBe(before);
  });

  it('answers requests while it trains on a worker thread', async () => {
    let trainerSettled = false;
    let started: () => void = () => {};
    const hasStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const watched: TrainClassifier = (examples) => {
      started();
      return trainOnWorkerThread(examples).finally(() => {
        trainerSettled = true;
      });
    };
    const training = trainRouter(t.deps, watched);
    await hasStarted;
    const health = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    // Answered before the training thread did: the event loop was free while it trained.
    expect(trainerSettled).toBe(false);
    await training;
    expect(trainerSettled).toBe(true);
  });
});
