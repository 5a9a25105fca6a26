import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
let otherRequester: TestUser;
let networkTeamId: string;
let vpnServiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  otherRequester = await t.user('requester');
  const team = await t.app.inject({
    method: 'POST',
    url: '/api/v1/teams',
    headers: admin.headers,
    payload: { name: 'Network', memberIds: [agent.user.id], managerId: agent.user.id },
  });
  expect(team.statusCode).toBe(201);
  networkTeamId = json(team).id;
  const service = await t.app.inject({
    method: 'POST',
    url: '/api/v1/services',
    headers: admin.headers,
    payload: { name: 'VPN', ownerTeamId: networkTeamId },
  });
  expect(service.statusCode).toBe(201);
  vpnServiceId = json(service).id;
});

afterAll(() => t.close());

async function report(user: TestUser, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...user.headers, ...headers }, payload });
}

describe('what a write answers', () => {
  it('is the ticket as committed, with its names, exactly as a read of it shows, and the ETag of that version', async () => {
    const created = json(await report(requester, { title: 'Wi-Fi drops in room 4', serviceId: vpnServiceId }));
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${created.id}`,
      headers: { ...agent.headers, 'if-match': '"1"' },
      payload: { assigneeId: agent.user.id },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${created.id}`, headers: agent.headers });
    expect(json(patch)).toEqual(json(read));
    expect(json(patch).assignee).toEqual({ id: agent.user.id, name: agent.user.name });
    expect(json(patch).requester.name).toBe(requester.user.name);
    expect(patch.headers.etag).toBe(`"${json(patch).version}"`);
    expect(patch.headers.etag).toBe(read.headers.etag);
  });
});

describe('the published ticket schema', () => {
  // Ticket answers skip the serializer's field-by-field check for speed (presented-json.ts): the
  // presenter alone keeps them to the schema, so this holds it to it, answer by answer.
  const exactly = z.strictObject(Ticket.shape);
  const fits = (body: unknown) => expect(exactly.parse(body)).toEqual(body);

  it('is what creation, a change, a move, a read and a list answer, field for field', async () => {
    const created = await report(requester, {
      title: 'Payroll export fails',
      description: 'Since the 09:00 release',
      serviceId: vpnServiceId,
      impact: 1,
      urgency: 2,
    });
    expect(created.statusCode).toBe(201);
    fits(json(created));
    const url = `/api/v1/tickets/${json(created).id}`;
    const changed = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...agent.headers, 'if-match': '"1"' },
      payload: { assigneeId: agent.user.id },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    fits(json(changed));
    const resolved = await t.app.inject({
      method: 'POST',
      url: `${url}/transitions`,
      headers: agent.headers,
      payload: { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Rolled back the release' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    fits(json(resolved));
    expect(json(resolved).resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const who of [agent, requester]) {
      const read = await t.app.inject({ method: 'GET', url, headers: who.headers });
      expect(read.statusCode, read.body).toBe(200);
      fits(json(read));
      const page = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: who.headers }));
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items) fits(item);
    }
  });
});

describe('reporting a ticket', () => {
  it('derives priority from the matrix, routes to the service team and numbers it per kind', async () => {
    const res = await report(requester, { title: 'VPN drops every 5 minutes', serviceId: vpnServiceId, impact: 2, urgency: 1 });
    expect(res.statusCode).toBe(201);
    const ticket = json(res);
    expect(ticket.number).toMatch(/^INC\d{7}$/);
    expect(ticket.priority).toBe(2);
    expect(ticket.team).toEqual({ id: networkTeamId, name: 'Network' });
    expect(ticket.state).toBe('new');
    expect(ticket.channel).toBe('api');
    expect(ticket.requester.id).toBe(requester.user.id);
    expect(res.headers.etag).toBe('"1"');

    const request = json(await report(requester, { kind: 'service_request', title: 'Need access to payroll' }));
    expect(request.number).toMatch(/^REQ\d{7}$/);
    expect(request.priority).toBe(5);
  });

  it('lets only staff say which channel a ticket came through', async () => {
    const res = await report(requester, { title: 'Pretend alert', channel: 'alert' });
    expect(res.statusCode).toBe(403);
    expect(json(res).errors[0].field).toBe('channel');
    expect(json(await report(agent, { title: 'Phoned in', channel: 'phone' })).channel).toBe('phone');
  });

  it('never makes two tickets for one Idempotency-Key', async () => {
    const payload = { title: 'Printer on fire', impact: 1, urgency: 1 };
    const first = await report(agent, payload, { 'idempotency-key': 'retry-1' });
    const second = await report(agent, payload, { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(json(second).id).toBe(json(first).id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const reused = await report(agent, { ...payload, title: 'Something else' }, { 'idempotency-key': 'retry-1' });
    expect(reused.statusCode).toBe(422);
    expect(json(reused).errors[0].field).toBe('Idempotency-Key');
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=printer', headers: agent.headers }));
    expect(list.items).toHaveLength(1);
  });

  it('refuses unknown fields and out-of-range values naming the field, and writes nothing', async () => {
    const before = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: agent.headers })).items.length;
    const unknown = await report(agent, { title: 'x', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(json(unknown).errors).toContainEqual({ field: 'colour', message: 'is not a known field' });
    const range = await report(agent, { title: 'x', impact: 4 });
    expect(range.statusCode).toBe(400);
    expect(json(range).errors[0].field).toBe('impact');
    const long = await report(agent, { title: 'x'.repeat(201) });
    expect(json(long).errors[0]).toEqual({ field: 'title', message: 'must be at most 200 characters' });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).detail).toBe('The body is not valid JSON.');
    const after = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: agent.headers })).items.length;
    expect(after).toBe(before);
  });
});

describe('working a ticket through its lifecycle', () => {
  it('goes new → assigned → in_progress → on_hold → in_progress → resolved → closed with a full history', async () => {
    const created = json(await report(requester, { title: 'Cannot reach intranet', serviceId: vpnServiceId }));
    const url = `/api/v1/tickets/${created.id}`;
    const assign = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...agent.headers, 'if-match': '"1"' },
      payload: { assigneeId: agent.user.id },
    });
    expect(assign.statusCode).toBe(200);
    expect(json(assign).state).toBe('assigned');

    const move = (to: string, extra: Record<string, unknown> = {}, who: TestUser = agent) =>
      t.app.inject({ method: 'POST', url: `${url}/transitions`, headers: who.headers, payload: { to, ...extra } });
    expect(json(await move('in_progress')).state).toBe('in_progress');
    const hold = await move('on_hold');
    expect(hold.statusCode).toBe(400);
    expect(json(hold).errors[0].field).toBe('onHoldReason');
    expect(json(await move('on_hold', { onHoldReason: 'awaiting_requester' })).onHoldReason).toBe('awaiting_requester');
    expect(json(await move('in_progress')).state).toBe('in_progress');
    const noNotes = await move('resolved', { resolutionCode: 'solved_permanently' });
    expect(json(noNotes).errors[0].field).toBe('resolutionNotes');
    const resolved = json(await move('resolved', { resolutionCode: 'solved_permanently', resolutionNotes: 'Renewed the certificate' }));
    expect(resolved.state).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.firstResponseAt).not.toBeNull();

    const closed = await move('closed', {}, requester);
    expect(json(closed).state).toBe('closed');
    const again = await move('in_progress', { reason: 'still broken' }, agent);
    expect(again.statusCode).toBe(409);
    expect(json(again).detail).toContain('final');

    const timeline = json(await t.app.inject({ method: 'GET', url: `${url}/timeline`, headers: agent.headers }));
    expect(timeline.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'assigned',
      'state_changed',
      'state_changed',
      'state_changed',
      'state_changed',
      'state_changed',
      'state_changed',
    ]);
    // Only what was sent is recorded as changed: the team stayed as it was.
    const assignment = timeline.items.find((e: { type: string }) => e.type === 'assigned');
    // …and names the person, so a history reads "assigned to Alex", not an id.
    expect(assignment.changes).toEqual([{ field: 'assigneeId', from: null, to: agent.user.id, fromName: null, toName: agent.user.name }]);
    const states = timeline.items
      .filter((e: { type: string }) => e.type === 'state_changed')
      .map((e: { changes: { field: string; to: string }[] }) => e.changes.find((c) => c.field === 'state')?.to);
    expect(states).toEqual(['assigned', 'in_progress', 'on_hold', 'in_progress', 'resolved', 'closed']);
  });

  it('refuses an illegal move with 409 naming the allowed moves', async () => {
    const created = json(await report(agent, { title: 'Disk full' }));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${created.id}/transitions`,
      headers: agent.headers,
      payload: { to: 'closed' },
    });
    expect(res.statusCode).toBe(409);
    expect(json(res).detail).toBe(
      `${created.number} cannot move from new to closed; from new it can move to: in_progress, on_hold, resolved, cancelled`,
    );
    expect(json(res).allowed).toEqual(['in_progress', 'on_hold', 'resolved', 'cancelled']);
  });

  it('refuses a stale If-Match with 412 naming who changed it, and changes nothing', async () => {
    const created = json(await report(agent, { title: 'Mail slow' }));
    const url = `/api/v1/tickets/${created.id}`;
    await t.app.inject({ method: 'PATCH', url, headers: { ...admin.headers, 'if-match': '"1"' }, payload: { urgency: 1 } });
    const stale = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...agent.headers, 'if-match': '"1"' },
      payload: { title: 'Mine' },
    });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).detail).toContain(admin.user.name);
    expect(json(stale).currentVersion).toBe(2);
    const current = json(await t.app.inject({ method: 'GET', url, headers: agent.headers }));
    expect(current.title).toBe('Mail slow');
    expect(current.urgency).toBe(1);
  });

  it('recomputes priority from impact and urgency, and records an override only with a reason', async () => {
    const created = json(await report(agent, { title: 'Payroll slow', impact: 3, urgency: 3 }));
    const url = `/api/v1/tickets/${created.id}`;
    expect(created.priority).toBe(5);
    expect(json(await t.app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { impact: 1 } })).priority).toBe(3);
    const noReason = await t.app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { priorityOverride: { priority: 1 } } });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).errors[0].field).toBe('priorityOverride.reason');
    const overridden = json(
      await t.app.inject({
        method: 'PATCH',
        url,
        headers: agent.headers,
        payload: { priorityOverride: { priority: 1, reason: 'CEO cannot pay staff' } },
      }),
    );
    expect(overridden.priority).toBe(1);
    expect(overridden.priorityOverrideReason).toBe('CEO cannot pay staff');
    // While overridden, impact changes do not move the priority.
    expect(json(await t.app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { impact: 3 } })).priority).toBe(1);
    const timeline = json(await t.app.inject({ method: 'GET', url: `${url}/timeline`, headers: agent.headers }));
    const override = timeline.items.find((e: { type: string }) => e.type === 'priority_overridden');
    expect(override.body).toBe('CEO cannot pay staff');
    expect(override.changes).toEqual([{ field: 'priority', from: 3, to: 1 }]);
  });
});

describe('comments and work notes', () => {
  it('shows the requester public comments but never work notes', async () => {
    const created = json(await report(requester, { title: 'Laptop will not boot' }));
    const url = `/api/v1/tickets/${created.id}`;
    const note = await t.app.inject({
      method: 'POST',
      url: `${url}/comments`,
      headers: agent.headers,
      payload: { body: 'Suspect the SSD; vendor ticket 4411', visibility: 'internal' },
    });
    expect(note.statusCode).toBe(201);
    expect(json(note).type).toBe('work_note');
    await t.app.inject({
      method: 'POST',
      url: `${url}/comments`,
      headers: agent.headers,
      payload: { body: 'Bring it to desk 3', visibility: 'public' },
    });
    const requesterNote = await t.app.inject({
      method: 'POST',
      url: `${url}/comments`,
      headers: requester.headers,
      payload: { body: 'sneaky', visibility: 'internal' },
    });
    expect(requesterNote.statusCode).toBe(403);

    const seenByRequester = json(await t.app.inject({ method: 'GET', url: `${url}/timeline`, headers: requester.headers }));
    const bodies = seenByRequester.items.map((e: { body: string | null }) => e.body);
    expect(bodies).toContain('Bring it to desk 3');
    expect(bodies).not.toContain('Suspect the SSD; vendor ticket 4411');
    const seenByAgent = json(await t.app.inject({ method: 'GET', url: `${url}/timeline`, headers: agent.headers }));
    expect(seenByAgent.items.map((e: { body: string | null }) => e.body)).toContain('Suspect the SSD; vendor ticket 4411');
    const ticket = json(await t.app.inject({ method: 'GET', url, headers: agent.headers }));
    expect(ticket.firstResponseAt).not.toBeNull();
  });

  it("hides other people's tickets from a requester as if they did not exist", async () => {
    const created = json(await report(requester, { title: 'My own problem' }));
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${created.id}`, headers: otherRequester.headers });
    expect(res.statusCode).toBe(404);
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: otherRequester.headers }));
    expect(list.items.every((i: { requester: { id: string } }) => i.requester.id === otherRequester.user.id)).toBe(true);
  });
});
