import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let deskAgent: TestUser;
let networkEngineer: TestUser;
let networkManager: TestUser;
let deskTeamId: string;
let networkTeamId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  deskAgent = await t.user('agent');
  networkEngineer = await t.user('agent');
  networkManager = await t.user('manager');
  const team = async (name: string, managerId: string, memberIds: string[]) =>
    json(await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name, managerId, memberIds } })).id;
  deskTeamId = await team('Service Desk', deskAgent.user.id, [deskAgent.user.id]);
  networkTeamId = await team('Network', networkManager.user.id, [networkEngineer.user.id, networkManager.user.id]);
});
afterAll(() => t.close());

async function workedTicket() {
  const ticket = json(
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: deskAgent.headers,
      payload: { title: 'Site-to-site VPN flaps', teamId: deskTeamId },
    }),
  );
  await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticket.id}/transitions`,
    headers: deskAgent.headers,
    payload: { to: 'in_progress' },
  });
  return ticket.id as string;
}

const escalate = (id: string, payload: Record<string, unknown>, who: TestUser = deskAgent) =>
  t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/escalations`, headers: who.headers, payload });

const timeline = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/timeline`, headers: deskAgent.headers })).items;
const deliveries = async (id: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/notifications`, headers: deskAgent.headers })).items;

describe('manual escalation', () => {
  it('moves a ticket to a more skilled team and engineer, raises its level, and tells the engineer', async () => {
    const id = await workedTicket();
    const res = await escalate(id, {
      kind: 'functional',
      toTeamId: networkTeamId,
      toUserId: networkEngineer.user.id,
      reason: 'Tunnel renegotiation fails: needs Network',
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({
      team: { name: 'Network' },
      assignee: { id: networkEngineer.user.id },
      escalationLevel: 1,
      state: 'in_progress',
    });
    const event = (await timeline(id)).find((e: { type: string }) => e.type === 'escalated');
    expect(event).toMatchObject({ body: 'Tunnel renegotiation fails: needs Network', data: { kind: 'functional', level: 1 } });
    expect(await deliveries(id)).toEqual([expect.objectContaining({ address: networkEngineer.user.email, reason: 'escalated_to_you' })]);
  });

  it('alerts the team manager on a hierarchical escalation without moving the ticket', async () => {
    const id = await workedTicket();
    await escalate(id, { kind: 'functional', toTeamId: networkTeamId, reason: 'Needs Network' });
    const res = await escalate(id, { kind: 'hierarchical', reason: 'Customer is losing orders' });
    expect(json(res)).toMatchObject({ team: { name: 'Network' }, assignee: { id: deskAgent.user.id }, escalationLevel: 2 });
    const mails = (await deliveries(id)).filter((d: { reason: string }) => d.reason === 'escalated_to_you');
    expect(mails.map((d: { address: string }) => d.address)).toContain(networkManager.user.email);
  });

  it('needs a reason and, for a functional escalation, a different existing team', async () => {
    const id = await workedTicket();
    expect(json(await escalate(id, { kind: 'functional', toTeamId: networkTeamId })).errors[0].field).toBe('reason');
    expect(json(await escalate(id, { kind: 'functional', reason: 'x' })).errors[0].field).toBe('toTeamId');
    const same = await escalate(id, { kind: 'functional', toTeamId: deskTeamId, reason: 'x' });
    expect(same.statusCode).toBe(422);
    expect(json(same).detail).toContain('already with this team');
    const requester = await t.user('requester');
    expect((await escalate(id, { kind: 'hierarchical', reason: 'please' }, requester)).statusCode).toBe(403);
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: deskAgent.headers }));
    expect(after.escalationLevel).toBe(0);
  });
});
