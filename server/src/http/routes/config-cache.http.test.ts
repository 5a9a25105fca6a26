import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

// Two servers on one database, as two processes behind a load balancer: each caches the
// configuration a ticket creation reads, and an admin's change on one is seen by the other's next write.
let one: TestApp;
let other: TestApp;
let admin: TestUser;
let serviceId: string;

beforeAll(async () => {
  one = await createTestApp();
  other = await createTestApp({ sameDatabaseAs: one });
  admin = await one.user('admin');
  const team = await one.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Network' } });
  const service = await one.app.inject({
    method: 'POST',
    url: '/api/v1/services',
    headers: admin.headers,
    payload: { name: 'VPN', ownerTeamId: json(team).id },
  });
  serviceId = json(service).id;
});

afterAll(async () => {
  await other.close();
  await one.close();
});

async function report(app: TestApp, impact: number, urgency: number) {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: admin.headers,
    payload: { title: 'VPN drops', impact, urgency, serviceId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

/** Resolves once `app` has heard that `table` changed (the other server's commit, announced). */
function heard(app: TestApp, table: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = app.configCache.watch((changed) => {
      if (changed === table) {
        stop();
        resolve();
      }
    });
  });
}

describe('configuration cached by each server', () => {
  it('a new priority matrix on one server sets the priority of the other server’s next ticket', async () => {
    expect((await report(other, 1, 1)).priority).toBe(1); // the default matrix, now cached by both
    expect((await report(one, 1, 1)).priority).toBe(1);
    const announced = heard(other, 'settings');
    const put = await one.app.inject({
      method: 'PUT',
      url: '/api/v1/priority-matrix',
      headers: admin.headers,
      payload: {
        matrix: [
          [2, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    // The server that made the change needs no announcement: its very next write has it.
    expect((await report(one, 1, 1)).priority).toBe(2);
    await announced;
    expect((await report(other, 1, 1)).priority).toBe(2);
  });

  it('a new SLA policy on one server gives the other server’s next ticket its clock', async () => {
    expect((await report(other, 3, 3)).slaDueAt).toBeNull();
    const announced = heard(other, 'sla_policies');
    const policy = await one.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: admin.headers,
      payload: { name: 'Everything', match: {}, resolutionMinutes: 60 },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    await announced;
    expect((await report(other, 3, 3)).slaDueAt).toBe('2026-03-02T09:00:00.000Z');
  });

  it('a team that starts sharing work fairly on one server gets the other server’s next ticket assigned', async () => {
    const agent = await one.user('agent');
    const team = await one.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Desk' } });
    const service = await one.app.inject({
      method: 'POST',
      url: '/api/v1/services',
      headers: admin.headers,
      payload: { name: 'Laptops', ownerTeamId: json(team).id },
    });
    const create = () =>
      other.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: admin.headers,
        payload: { title: 'Screen', serviceId: json(service).id },
      });
    expect(json(await create()).assignee).toBeNull();
    const announced = heard(other, 'teams');
    const patch = await one.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${json(team).id}`,
      headers: admin.headers,
      payload: { memberIds: [agent.user.id], assignmentStrategy: 'round_robin' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await announced;
    expect(json(await create()).assignee).toEqual({ id: agent.user.id, name: agent.user.name });
  });

  it('a service handed to another team on one server routes the other server’s next ticket there', async () => {
    expect((await report(other, 3, 3)).team.name).toBe('Network');
    const team = await one.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Remote access' } });
    const announced = heard(other, 'services');
    const patch = await one.app.inject({
      method: 'PATCH',
      url: `/api/v1/services/${serviceId}`,
      headers: admin.headers,
      payload: { ownerTeamId: json(team).id },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await report(one, 3, 3)).team.name).toBe('Remote access');
    await announced;
    expect((await report(other, 3, 3)).team.name).toBe('Remote access');
  });
});
