import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * Which services requesters see (issue 12): admins hide infrastructure components; requesters
 * neither list nor report on them, staff do, and a known problem on a hidden component still
 * reaches the people it affects.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let payrollId: string;
let clusterId: string;

const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
const serviceIdsSeenBy = async (who: TestUser) =>
  (json(await send('GET', '/api/v1/services', who)).items as { id: string }[]).map((s) => s.id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  const cluster = await send('POST', '/api/v1/services', admin, { name: 'SQL Server Cluster', visibleToRequesters: false });
  expect(cluster.statusCode).toBe(201);
  expect(json(cluster).visibleToRequesters).toBe(false);
  clusterId = json(cluster).id;
  const payroll = await send('POST', '/api/v1/services', admin, { name: 'Payroll', dependsOnIds: [clusterId] });
  expect(json(payroll).visibleToRequesters).toBe(true);
  payrollId = json(payroll).id;
});
afterAll(() => t.close());

describe('services hidden from requesters', () => {
  it('are left out of what a requester lists and reads, and shown to staff', async () => {
    expect(await serviceIdsSeenBy(requester)).toEqual([payrollId]);
    expect((await send('GET', `/api/v1/services/${clusterId}`, requester)).statusCode).toBe(404);
    expect(await serviceIdsSeenBy(agent)).toEqual(expect.arrayContaining([payrollId, clusterId]));
    expect((await send('GET', `/api/v1/services/${clusterId}`, agent)).statusCode).toBe(200);
  });

  it('cannot be picked by a requester reporting a problem, with a problem naming serviceId', async () => {
    const res = await send('POST', '/api/v1/tickets', requester, {
      title: 'Payroll run fails',
      serviceId: clusterId,
      impact: 2,
      urgency: 2,
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res).errors).toEqual([{ field: 'serviceId', message: expect.stringContaining('not offered') }]);
    expect((await send('POST', '/api/v1/tickets', requester, { title: 'Payslip missing', serviceId: payrollId })).statusCode).toBe(201);
  });

  it('can be picked by staff reporting a ticket', async () => {
    const res = await send('POST', '/api/v1/tickets', agent, { title: 'Cluster failover', serviceId: clusterId, impact: 2, urgency: 2 });
    expect(res.statusCode).toBe(201);
    expect(json(res).service).toEqual({ id: clusterId, name: 'SQL Server Cluster' });
  });

  it('are marked by admins only: an agent or a requester cannot change it', async () => {
    for (const who of [agent, requester]) {
      const res = await send('PATCH', `/api/v1/services/${payrollId}`, who, { visibleToRequesters: false });
      expect([403, 404]).toContain(res.statusCode);
    }
    expect(await serviceIdsSeenBy(requester)).toContain(payrollId);

    const hidden = await send('PATCH', `/api/v1/services/${payrollId}`, admin, { visibleToRequesters: false });
    expect(hidden.statusCode).toBe(200);
    expect(json(hidden).visibleToRequesters).toBe(false);
    expect(await serviceIdsSeenBy(requester)).toEqual([]);
    const shown = await send('PATCH', `/api/v1/services/${payrollId}`, admin, { visibleToRequesters: true });
    expect(json(shown).visibleToRequesters).toBe(true);
    expect(await serviceIdsSeenBy(requester)).toEqual([payrollId]);
  });

  it('still show their known problems to requesters, who can follow them', async () => {
    const outage = json(
      await send('POST', '/api/v1/tickets', agent, {
        title: 'Payroll database unavailable',
        serviceId: clusterId,
        impact: 1,
        urgency: 2,
        scope: 'global',
      }),
    );
    // Choosing Payroll in the portal shows the problem of the hidden cluster Payroll depends on.
    const known = json(await send('GET', `/api/v1/known-issues?serviceId=${payrollId}`, requester)).items as { id: string }[];
    expect(known.map((k) => k.id)).toContain(outage.id);
    expect((await send('PUT', `/api/v1/tickets/${outage.id}/follow`, requester)).statusCode).toBeLessThan(300);
    const view = json(await send('GET', `/api/v1/known-issues/${outage.id}`, requester));
    expect(view.service).toEqual({ id: clusterId, name: 'SQL Server Cluster' });
  });
});

describe('the reassignment count in the API', () => {
  it('is returned with the ticket and counts a move to another team, not the first assignment', async () => {
    const teams = await Promise.all(
      ['Payroll Apps', 'Database'].map(
        async (name) => json(await send('POST', '/api/v1/teams', admin, { name, memberIds: [agent.user.id] })).id,
      ),
    );
    const ticket = json(await send('POST', '/api/v1/tickets', agent, { title: 'Payroll export stuck', impact: 3, urgency: 3 }));
    expect(ticket.reassignmentCount).toBe(0);
    const assigned = json(await send('PATCH', `/api/v1/tickets/${ticket.id}`, agent, { teamId: teams[0], assigneeId: agent.user.id }));
    expect(assigned.reassignmentCount).toBe(0);
    const moved = json(await send('PATCH', `/api/v1/tickets/${ticket.id}`, agent, { teamId: teams[1] }));
    expect(moved.reassignmentCount).toBe(1);
    expect(json(await send('GET', `/api/v1/tickets/${ticket.id}`, agent)).reassignmentCount).toBe(1);
  });
});
