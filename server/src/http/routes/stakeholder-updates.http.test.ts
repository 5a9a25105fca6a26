import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { notifications } from '../../db/schema/index.js';

/**
 * The update composer through the API: one send reaches the status page (a public update), the
 * requester and followers, a stakeholder list's people, team and outside addresses; bad input is
 * refused naming the field; only the desk composes and only admins set it up.
 */

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let boss: TestUser;
let rita: TestUser;
let vpnId: string;
let leadershipTeamId: string;
let listId: string;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, who?: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload ? { payload } : {}) });

async function ok(method: Method, url: string, who: TestUser, payload?: Record<string, unknown>, status = 200) {
  const res = await call(method, url, who, payload);
  expect(res.statusCode, res.body).toBe(status);
  return json(res);
}

async function declaredIncident(title: string) {
  const made = await ok(
    'POST',
    '/api/v1/tickets',
    agent,
    { kind: 'incident', title, impact: 1, urgency: 1, serviceId: vpnId, requesterId: rita.user.id },
    201,
  );
  await ok('POST', `/api/v1/tickets/${made.id}/declare-major`, agent, { reason: 'Every office has lost the VPN' });
  return made as { id: string; number: string };
}

const notesFor = async (ticketId: string) =>
  t.deps.db
    .select({
      userId: notifications.userId,
      address: notifications.address,
      reason: notifications.reason,
      channel: notifications.channel,
      bodyText: notifications.bodyText,
    })
    .from(notifications)
    .where(and(eq(notifications.ticketId, ticketId)));

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent', { name: 'Cora Comms' });
  boss = await t.user('manager', { name: 'Bea Boss' });
  rita = await t.user('requester', { name: 'Rita Requester' });
  vpnId = (await ok('POST', '/api/v1/services', admin, { name: 'VPN', onStatusPage: true }, 201)).id;
  leadershipTeamId = (await ok('POST', '/api/v1/teams', admin, { name: 'Leadership', memberIds: [boss.user.id] }, 201)).id;
  listId = (
    await ok(
      'POST',
      '/api/v1/stakeholder-lists',
      admin,
      { name: 'IT leadership', teamIds: [leadershipTeamId], emails: ['CFO@Example.com'], serviceIds: [vpnId] },
      201,
    )
  ).id;
});
afterAll(() => t.close());

describe('the update composer', () => {
  it('proposes the audiences of the incident, fills in the variables and asks "who needs to know now?" after the declaration', async () => {
    const incident = await declaredIncident('VPN down for everyone');
    const composer = await ok('GET', `/api/v1/tickets/${incident.id}/update-composer`, agent);
    expect(composer.variables).toMatchObject({ service: 'VPN', incident_number: incident.number, priority: 'P1' });
    expect(composer.variables.next_update_at).toMatch(/UTC on/);
    const byId = Object.fromEntries(composer.audiences.map((a: { id: string }) => [a.id, a]));
    expect(byId.public).toMatchObject({ proposed: true, builtIn: true });
    expect(byId[listId]).toMatchObject({ name: 'IT leadership', proposed: true, recipientCount: 2 });
    expect(composer.evaluationPoint).toMatchObject({ point: 'declared', label: 'The major incident was declared' });
    expect(composer.cadence.nextDueAt).toBe(new Date(t.clock.now().getTime() + 30 * 60_000).toISOString());
    expect(composer.templates.investigating).toContain('{service}');
  });

  it('sends one update to the status page, the requester and a stakeholder list (its team and outside address), and records who, when, to whom', async () => {
    const incident = await declaredIncident('VPN down again');
    const sent = await ok(
      'POST',
      `/api/v1/tickets/${incident.id}/stakeholder-updates`,
      agent,
      {
        stage: 'investigating',
        text: 'We are investigating {service} <b>failures</b>. Next update by {next_update_at}.',
        audienceIds: ['public', listId],
      },
      201,
    );
    expect(sent).toMatchObject({ actorName: 'Cora Comms', public: true, stage: 'investigating', recipientCount: 3 });
    expect(sent.text).toMatch(/^We are investigating VPN <b>failures<\/b>\. Next update by \d\d:\d\d UTC on /);
    expect(sent.audiences.map((a: { name: string }) => a.name)).toEqual([
      'Status page, affected requesters and followers',
      'IT leadership',
    ]);

    const summary = json(await call('GET', '/status/api/v2/summary.json'));
    const shown = summary.incidents.find((i: { name: string }) => i.name === 'VPN down again');
    expect(shown.incident_updates.map((u: { body: string }) => u.body)).toEqual([sent.text]);

    const notes = await notesFor(incident.id);
    expect(notes.filter((n) => n.userId === rita.user.id).map((n) => n.reason)).toContain('reply_from_desk');
    expect(
      notes
        .filter((n) => n.userId === boss.user.id && n.reason === 'stakeholder_update')
        .map((n) => n.channel)
        .sort(),
    ).toEqual(['email', 'in_app']);
    expect(notes.filter((n) => n.userId === null && n.channel === 'email').map((n) => n.address)).toEqual(['cfo@example.com']);

    const composer = await ok('GET', `/api/v1/tickets/${incident.id}/update-composer`, agent);
    expect(composer.evaluationPoint).toBeNull();
    expect(composer.updates[0]).toMatchObject({ id: sent.id, text: sent.text, actorName: 'Cora Comms' });
    expect(composer.cadence.lastUpdateAt).toBe(sent.at);

    // The requester sees the public words on their ticket, never the internal record of whom it went to.
    const timeline = json(await call('GET', `/api/v1/tickets/${incident.id}/timeline`, rita));
    const items = timeline.items ?? timeline;
    expect(JSON.stringify(items)).toContain('<b>failures</b>');
    expect(JSON.stringify(items)).not.toContain('IT leadership');
  });

  it('keeps a non-public update off the status page and away from the requester', async () => {
    const incident = await declaredIncident('VPN slow');
    await ok(
      'POST',
      `/api/v1/tickets/${incident.id}/stakeholder-updates`,
      agent,
      { stage: 'identified', text: 'Cause found: the certificate.', audienceIds: [listId] },
      201,
    );
    const summary = json(await call('GET', '/status/api/v2/summary.json'));
    expect(summary.incidents.find((i: { name: string }) => i.name === 'VPN slow').incident_updates).toEqual([]);
    const notes = await notesFor(incident.id);
    expect(notes.some((n) => n.userId === rita.user.id && n.bodyText.includes('certificate'))).toBe(false);
    expect(notes.some((n) => n.userId === boss.user.id && n.reason === 'stakeholder_update')).toBe(true);
  });

  it('makes the resolved stage’s public update the final update of the completion checklist', async () => {
    const incident = await declaredIncident('VPN flapping');
    await ok(
      'POST',
      `/api/v1/tickets/${incident.id}/stakeholder-updates`,
      agent,
      { stage: 'resolved', text: '{service} works again.', audienceIds: ['public'] },
      201,
    );
    const completion = await ok('GET', `/api/v1/tickets/${incident.id}/completion`, agent);
    expect(completion.items.find((i: { key: string }) => i.key === 'final_update_sent')?.done).toBe(true);
  });

  it('refuses an update with no audience, an audience that does not exist, and variables that do not exist — naming them', async () => {
    const incident = await declaredIncident('VPN refusals');
    const url = `/api/v1/tickets/${incident.id}/stakeholder-updates`;
    const none = await call('POST', url, agent, { stage: 'investigating', text: 'Hello', audienceIds: [] });
    expect(none.statusCode).toBe(400);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(json(none).errors).toEqual([{ field: 'audienceIds', message: expect.stringContaining('tick at least one audience') }]);

    const unknownVars = await call('POST', url, agent, {
      stage: 'investigating',
      text: '{service} by {eta}, ask {owner}',
      audienceIds: ['public'],
    });
    expect(unknownVars.statusCode).toBe(400);
    expect(json(unknownVars).errors[0]).toMatchObject({
      field: 'text',
      message: expect.stringContaining('are not variables: {eta}, {owner}'),
    });

    const unknownList = await call('POST', url, agent, { stage: 'investigating', text: 'Hello', audienceIds: ['everyone'] });
    expect(unknownList.statusCode).toBe(400);
    expect(json(unknownList).errors[0]).toMatchObject({
      field: 'audienceIds',
      message: expect.stringContaining('no audience has the id everyone'),
    });

    const badStage = await call('POST', url, agent, { stage: 'panicking', text: 'Hello', audienceIds: ['public'] });
    expect(badStage.statusCode).toBe(400);
    expect(json(badStage).errors[0].field).toBe('stage');

    const composer = await ok('GET', `/api/v1/tickets/${incident.id}/update-composer`, agent);
    expect(composer.updates).toEqual([]);
  });
});

describe('who may', () => {
  it('lets only the desk compose and send, and only admins set up templates, lists and the cadence', async () => {
    const incident = await declaredIncident('VPN permissions');
    expect((await call('GET', `/api/v1/tickets/${incident.id}/update-composer`, rita)).statusCode).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/tickets/${incident.id}/stakeholder-updates`, rita, {
          stage: 'investigating',
          text: 'x',
          audienceIds: ['public'],
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('GET', `/api/v1/tickets/${incident.id}/update-composer`)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/stakeholder-updates/due', rita)).statusCode).toBe(403);
    for (const [method, url, body] of [
      ['PUT', '/api/v1/update-templates', { investigating: 'a', identified: 'b', monitoring: 'c', resolved: 'd', maintenance: 'e' }],
      ['PUT', '/api/v1/update-cadence', { intervals: { 1: 30 }, graceMinutes: 8 }],
      ['POST', '/api/v1/stakeholder-lists', { name: 'Agents cannot' }],
      ['DELETE', `/api/v1/stakeholder-lists/${listId}`, undefined],
    ] as const) {
      expect((await call(method, url, agent, body)).statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('lets admins edit templates (unknown variables refused by name) and the cadence (bad minutes refused by priority)', async () => {
    const templates = await ok('GET', '/api/v1/update-templates', agent);
    const bad = await call('PUT', '/api/v1/update-templates', admin, { ...templates, monitoring: 'Fixed by {engineer}' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors).toEqual([{ field: 'monitoring', message: expect.stringContaining('{engineer}') }]);
    const saved = await ok('PUT', '/api/v1/update-templates', admin, { ...templates, monitoring: 'Watching {service} closely.' });
    expect(saved.monitoring).toBe('Watching {service} closely.');

    const badCadence = await call('PUT', '/api/v1/update-cadence', admin, { intervals: { 1: 2 }, graceMinutes: 8 });
    expect(badCadence.statusCode).toBe(400);
    expect(json(badCadence).errors).toEqual([{ field: 'intervals.1', message: 'must be whole minutes from 5 to 1,440 (24 hours)' }]);
    expect(await ok('PUT', '/api/v1/update-cadence', admin, { intervals: { 1: 20, 2: 60 }, graceMinutes: 5 })).toEqual({
      intervals: { 1: 20, 2: 60 },
      graceMinutes: 5,
    });
    await ok('PUT', '/api/v1/update-cadence', admin, { intervals: { 1: 30, 2: 60 }, graceMinutes: 8 });
  });

  it('refuses a stakeholder list with a malformed address or an unknown team, naming the field', async () => {
    const badEmail = await call('POST', '/api/v1/stakeholder-lists', admin, { name: 'Board', emails: ['not-an-address'] });
    expect(badEmail.statusCode).toBe(400);
    expect(json(badEmail).errors[0].field).toBe('emails.0');
    const badTeam = await call('POST', '/api/v1/stakeholder-lists', admin, {
      name: 'Board',
      teamIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(badTeam.statusCode).toBe(422);
    expect(json(badTeam).errors[0].field).toBe('teamIds');
    const twice = await call('POST', '/api/v1/stakeholder-lists', admin, { name: 'it leadership' });
    expect(twice.statusCode).toBe(409);
  });
});

describe('the desk queue', () => {
  it('lists the open incidents with an update due, with whether it is due or overdue now', async () => {
    const incident = await declaredIncident('VPN queue');
    let due = await ok('GET', '/api/v1/stakeholder-updates/due', agent);
    expect(due.items.find((i: { ticketId: string }) => i.ticketId === incident.id)).toMatchObject({
      number: incident.number,
      status: 'not_due',
    });
    t.clock.advance(30 * 60_000);
    due = await ok('GET', '/api/v1/stakeholder-updates/due', agent);
    expect(due.items.find((i: { ticketId: string }) => i.ticketId === incident.id)?.status).toBe('due');
    t.clock.advance(8 * 60_000);
    due = await ok('GET', '/api/v1/stakeholder-updates/due', agent);
    expect(due.items.find((i: { ticketId: string }) => i.ticketId === incident.id)?.status).toBe('overdue');
  });
});
