import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let manager: TestUser;
let ann: TestUser;
let ben: TestUser;
let rita: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  manager = await t.user('manager');
  ann = await t.user('agent', { name: 'Ann Agent' });
  ben = await t.user('agent');
  rita = await t.user('requester', { name: 'Rita Requester' });
});
afterAll(() => t.close());

const save = (who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/canned-replies', headers: who.headers, payload });
const list = async (who: TestUser) =>
  json(await t.app.inject({ method: 'GET', url: '/api/v1/canned-replies', headers: who.headers })).items as { id: string; name: string }[];
const timeline = async (ticketId: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline`, headers: admin.headers })).items as {
    type: string;
    body: string | null;
  }[];
const report = async (title: string) =>
  json(await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: rita.headers, payload: { title } }));
const apply = (who: TestUser, ticketId: string, replyId: string, headers: Record<string, string> = {}, payload: object = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/canned-replies/${replyId}/apply`,
    headers: { ...who.headers, ...headers },
    payload,
  });

describe('canned replies', () => {
  it('keeps shared replies for managers and personal ones for their owner only', async () => {
    const shared = await save(manager, { name: 'Password reset', body: 'Hi {requester_name}', visibility: 'public', scope: 'shared' });
    expect(shared.statusCode).toBe(201);
    // An agent may not keep shared ones, and a requester may not use any.
    const refused = await save(ann, { name: 'Mine to all', body: 'Hi', visibility: 'public', scope: 'shared' });
    expect(refused.statusCode).toBe(403);
    expect(json(refused).errors[0].field).toBe('scope');
    expect((await save(rita, { name: 'x', body: 'Hi', visibility: 'public', scope: 'personal' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/canned-replies', headers: rita.headers })).statusCode).toBe(403);

    const personal = json(
      await save(ann, { name: 'Ann’s sign-off', body: 'Cheers, {agent_name}', visibility: 'internal', scope: 'personal' }),
    );
    expect((await list(ann)).map((r) => r.name)).toEqual(expect.arrayContaining(['Password reset', 'Ann’s sign-off']));
    expect((await list(ben)).map((r) => r.name)).not.toContain('Ann’s sign-off');
    // Another agent's personal reply does not exist for Ben, even for a manager.
    for (const who of [ben, manager]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/canned-replies/${personal.id}`, headers: who.headers })).statusCode).toBe(
        404,
      );
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/canned-replies/${personal.id}`, headers: who.headers })).statusCode,
      ).toBe(404);
    }
    // Nor can Ben preview or send it on a ticket.
    const ticket = await report('Sign-off test');
    for (const action of ['preview', 'apply']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/canned-replies/${personal.id}/${action}`,
        headers: ben.headers,
        ...(action === 'apply' ? { payload: {} } : {}),
      });
      expect(res.statusCode).toBe(404);
    }
    expect((await timeline(ticket.id)).filter((e) => e.type === 'work_note')).toEqual([]);
    // An agent uses the shared one but cannot change it.
    const id = json(shared).id;
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/canned-replies/${id}`,
          headers: ann.headers,
          payload: { name: 'Mine now', body: 'x', visibility: 'public', scope: 'shared' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('refuses an unknown variable on save, naming it, and saves nothing', async () => {
    const before = (await list(manager)).length;
    const res = await save(manager, {
      name: 'Typo',
      body: 'Hi {requester} about {ticket_number} and {sla}',
      visibility: 'public',
      scope: 'shared',
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0]).toMatchObject({ field: 'body', message: expect.stringContaining('{requester}, {sla}') });
    expect((await list(manager)).length).toBe(before);
  });

  it('refuses a stale edit with 412 naming who saved it', async () => {
    const created = await save(manager, { name: `Outage ${randomUUID()}`, body: 'We know', visibility: 'public', scope: 'shared' });
    const { id } = json(created);
    const edit = (who: TestUser, version: string, name: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/canned-replies/${id}`,
        headers: { ...who.headers, 'if-match': version },
        payload: { name, body: 'We know and are on it', visibility: 'public', scope: 'shared' },
      });
    expect(created.headers.etag).toBe('"1"');
    expect((await edit(admin, '"1"', 'Outage known')).statusCode).toBe(200);
    const stale = await edit(manager, '"1"', 'Outage (mine)');
    expect(stale.statusCode).toBe(412);
    expect(json(stale).detail).toContain(admin.user.name);
    expect(json(await t.app.inject({ method: 'GET', url: `/api/v1/canned-replies/${id}`, headers: ann.headers })).name).toBe(
      'Outage known',
    );
  });

  it('renders for a ticket and sends the reply with its field changes in one go', async () => {
    const team = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: `Desk ${randomUUID()}` } }),
    );
    const reply = json(
      await save(manager, {
        name: 'Taking it',
        body: 'Hi {requester_name}, {agent_name} here: {ticket_number} ({ticket_title}) on {service} is ours, target {due}.',
        visibility: 'public',
        scope: 'shared',
        changes: { teamId: team.id },
      }),
    );
    expect(reply.changesSummary).toBe(`assigns team ${team.name}`);
    const ticket = await report('Printer on fire');
    const preview = json(
      await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/canned-replies/${reply.id}/preview`, headers: ann.headers }),
    );
    expect(preview.body).toMatch(
      new RegExp(`^Hi Rita Requester, Ann Agent here: ${ticket.number} \\(Printer on fire\\) on the service is ours, target `),
    );
    const before = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: ann.headers });
    const sent = await apply(ann, ticket.id, reply.id, { 'if-match': before.headers.etag as string });
    expect(sent.statusCode).toBe(201);
    expect(json(sent).ticket.team.id).toBe(team.id);
    expect(json(sent).comment).toMatchObject({ type: 'comment', body: preview.body });
    const events = await timeline(ticket.id);
    expect(events.filter((e) => e.type === 'comment').map((e) => e.body)).toEqual([preview.body]);
    expect(events.some((e) => e.type === 'assigned')).toBe(true);
    // The agent's edited text is what goes out; a stale copy of the ticket is refused (412) and posts nothing.
    const stale = await apply(ann, ticket.id, reply.id, { 'if-match': before.headers.etag as string }, { body: 'Edited' });
    expect(stale.statusCode).toBe(412);
    expect((await apply(ann, ticket.id, reply.id, {}, { body: 'Edited by Ann' })).statusCode).toBe(201);
    expect((await timeline(ticket.id)).filter((e) => e.type === 'comment').map((e) => e.body)).toEqual([preview.body, 'Edited by Ann']);
  });

  it('posts no reply when a field change is refused', async () => {
    const carl = await t.user('agent', { name: 'Carl Leaving' });
    const reply = json(
      await save(manager, {
        name: 'Carl takes it',
        body: 'Carl will look at this, {requester_name}',
        visibility: 'public',
        scope: 'shared',
        changes: { assigneeId: carl.user.id, state: 'in_progress' },
      }),
    );
    expect(reply.changesSummary).toBe('assigns Carl Leaving, sets state in progress');
    // Carl leaves after the reply was saved: assigning him is refused, and the reply goes with it.
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${carl.user.id}`, headers: admin.headers, payload: { active: false } }))
        .statusCode,
    ).toBe(200);
    const ticket = await report('Nothing works');
    const res = await apply(ann, ticket.id, reply.id);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(json(res).detail).toContain('Carl Leaving');
    expect((await timeline(ticket.id)).filter((e) => e.type === 'comment')).toEqual([]);
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: ann.headers }));
    expect(after).toMatchObject({ state: 'new', version: ticket.version, assignee: null });
    // A requester cannot apply one at all.
    expect((await apply(rita, ticket.id, reply.id)).statusCode).toBe(403);
  });
});
