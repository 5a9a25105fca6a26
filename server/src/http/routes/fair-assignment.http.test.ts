import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTestTicket } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { createTeam } from '../../services/teams.service.js';

/** "Assign fairly" through the API (issue 18, item 3): who may, bad input, the answer and its ETag. */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let teamId: string;

const assign = (who: TestUser | null, id: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/assign-fairly`,
    headers: { ...(who?.headers ?? {}), ...headers },
    payload: payload as object,
  });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  teamId = (await createTeam(t.deps, { name: 'Network', memberIds: [agent.user.id], assignmentCap: 5 })).id;
});
afterAll(() => t.close());

describe('POST /api/v1/tickets/:id/assign-fairly', () => {
  it('is for staff only', async () => {
    const ticket = await reportTestTicket(t.deps, agent.user, 'Switch down', { teamId });
    expect((await assign(null, ticket.id, {})).statusCode).toBe(401);
    expect((await assign(requester, ticket.id, {})).statusCode).toBe(403);
  });

  it('refuses an unknown strategy and a stale version, naming what is wrong, and changes nothing', async () => {
    const ticket = await reportTestTicket(t.deps, agent.user, 'Port flapping', { teamId });
    const bad = await assign(agent, ticket.id, { strategy: 'random' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors).toEqual([{ field: 'strategy', message: 'must be round_robin or least_loaded' }]);
    const stale = await assign(agent, ticket.id, {}, { 'if-match': `"${ticket.version + 3}"` });
    expect(stale.statusCode).toBe(412);
    const shown = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers }));
    expect(shown).toMatchObject({ assignee: null, version: ticket.version });
  });

  it('assigns a member and says why, with the new ETag', async () => {
    const ticket = await reportTestTicket(t.deps, agent.user, 'DNS slow', { teamId });
    const res = await assign(agent, ticket.id, { strategy: 'least_loaded' });
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    expect(body.assigneeId).toBe(agent.user.id);
    expect(body.reason).toMatch(/^least loaded: the lightest load, \d+ open tickets? weighing \d+ \(cap 5\)$/);
    expect(body.ticket).toMatchObject({ assignee: { id: agent.user.id }, state: 'assigned' });
    expect(res.headers.etag).toBe(`"${body.ticket.version}"`);
  });

  it("a team's fair-assignment settings refuse bad values naming the field, and change nothing", async () => {
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/teams/${teamId}`, headers: admin.headers, payload });
    const cap = await patch({ assignmentCap: 0 });
    expect(cap.statusCode).toBe(400);
    expect(json(cap).errors).toEqual([{ field: 'assignmentCap', message: 'must be at least 1' }]);
    const strategy = await patch({ assignmentStrategy: 'random' });
    expect(json(strategy).errors).toEqual([{ field: 'assignmentStrategy', message: 'must be round_robin, least_loaded or null' }]);
    const schedule = await patch({ shiftScheduleId: '0b7f3c52-1d4e-4a8b-9c6d-2e5f7a9b1c3d' });
    expect(schedule.statusCode).toBe(422);
    expect(json(schedule).errors[0]).toMatchObject({ field: 'shiftScheduleId' });
    const team = json(await t.app.inject({ method: 'GET', url: `/api/v1/teams/${teamId}`, headers: admin.headers }));
    expect(team).toMatchObject({ assignmentStrategy: null, assignmentCap: 5, shiftScheduleId: null, workingHoursCalendarId: null });
    const saved = await patch({ assignmentStrategy: 'least_loaded', assignmentCap: null });
    expect(json(saved)).toMatchObject({ assignmentStrategy: 'least_loaded', assignmentCap: null });
  });
});
