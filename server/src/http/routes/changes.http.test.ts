import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let other: TestUser;
let manager: TestUser;
let admin: TestUser;
let rita: TestUser;
const svc: Record<string, string> = {};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, who: TestUser, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-12-07T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  other = await t.user('agent', { name: 'Olga Other' });
  manager = await t.user('manager', { name: 'Nora Network-Manager' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  // Network ← VPN ← Portal; Printing stands alone. VPN and Network are on the status page.
  const service = async (name: string, dependsOnIds: string[] = [], onStatusPage = false) => {
    const res = await call('POST', '/api/v1/services', admin, { name, dependsOnIds, onStatusPage });
    expect(res.statusCode, res.body).toBe(201);
    svc[name] = json(res).id;
  };
  await service('Network', [], true);
  await service('VPN', [svc.Network as string], true);
  await service('Portal', [svc.VPN as string]);
  await service('Printing');
});
afterAll(() => t.close());

const plan = (fields: Record<string, unknown> = {}) => ({
  title: 'Automate VPN certificate renewal',
  serviceId: svc.VPN,
  type: 'normal',
  risk: 'medium',
  plannedStart: '2026-12-09T20:00:00Z',
  plannedEnd: '2026-12-09T22:00:00Z',
  implementationPlan: 'Install the ACME client on both gateways',
  testPlan: 'Connect from the test laptop',
  backoutPlan: 'Reinstall the manual certificate',
  ...fields,
});

async function change(fields: Record<string, unknown> = {}, who: TestUser = agent) {
  const res = await call('POST', '/api/v1/changes', who, plan(fields));
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; number: string; version: number; kind: string };
}

const detail = async (id: string) => json(await call('GET', `/api/v1/changes/${id}`, agent));
const stageOf = async (id: string) => (await detail(id)).stage as string;
const ticketCount = async () => json(await call('GET', '/api/v1/tickets?kind=change&limit=200', agent)).items.length;

describe('a change from draft to done', () => {
  it('gets a CHG number, is approved by its named approver, scheduled, implemented and done — all on its timeline', async () => {
    const c = await change({ approverIds: [manager.user.id] });
    expect(c.number).toMatch(/^CHG\d{7}$/);
    expect(c.kind).toBe('change');
    expect(await stageOf(c.id)).toBe('draft');

    const submitted = await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(await stageOf(c.id)).toBe('awaiting_approval');
    // Starting before approval is refused: the stage is named.
    const early = await call('POST', `/api/v1/changes/${c.id}/start`, agent);
    expect(early.statusCode).toBe(409);
    expect(json(early).errors[0].field).toBe('stage');

    const approved = await call('POST', `/api/v1/changes/${c.id}/decision`, manager, { decision: 'approved', comment: 'Go ahead' });
    expect(approved.statusCode, approved.body).toBe(200);
    const seen = await detail(c.id);
    expect(seen.stage).toBe('scheduled');
    expect(seen.approvers).toMatchObject([{ name: 'Nora Network-Manager', decision: 'approved', comment: 'Go ahead' }]);

    expect((await call('POST', `/api/v1/changes/${c.id}/start`, agent)).statusCode).toBe(200);
    expect(await stageOf(c.id)).toBe('implementing');
    const done = await call('POST', `/api/v1/changes/${c.id}/complete`, agent, { outcome: 'succeeded', notes: 'Renewed by ACME' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done).state).toBe('resolved');
    expect(await stageOf(c.id)).toBe('done');

    const timeline = json(await call('GET', `/api/v1/tickets/${c.id}/timeline`, agent)).items as { type: string; data: { to?: string } }[];
    expect(timeline.filter((e) => e.type === 'change_stage_changed').map((e) => e.data.to)).toEqual([
      'awaiting_approval',
      'scheduled',
      'implementing',
      'done',
    ]);
    expect(timeline.some((e) => e.type === 'change_decided')).toBe(true);
  });

  it('schedules a standard change on submission (pre-approved) and records a failed one as failed', async () => {
    const c = await change({ type: 'standard', backoutPlan: '' });
    await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect(await stageOf(c.id)).toBe('scheduled');
    await call('POST', `/api/v1/changes/${c.id}/start`, agent);
    await call('POST', `/api/v1/changes/${c.id}/complete`, agent, { outcome: 'failed', notes: 'Backed out: gateway refused the client' });
    expect(await stageOf(c.id)).toBe('failed');
  });

  it('makes a rejected change a draft again, and asks for the reason', async () => {
    const c = await change();
    await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    const bare = await call('POST', `/api/v1/changes/${c.id}/decision`, manager, { decision: 'rejected' });
    expect(bare.statusCode).toBe(400);
    expect(json(bare).errors[0].field).toBe('comment');
    expect(await stageOf(c.id)).toBe('awaiting_approval');
    await call('POST', `/api/v1/changes/${c.id}/decision`, manager, { decision: 'rejected', comment: 'Not in the freeze' });
    expect(await stageOf(c.id)).toBe('draft');
    // A draft's window can move again.
    const moved = await call('PATCH', `/api/v1/changes/${c.id}`, agent, {
      plannedStart: '2026-12-10T20:00:00Z',
      plannedEnd: '2026-12-10T21:00:00Z',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await detail(c.id)).plannedStart).toBe('2026-12-10T20:00:00.000Z');
    // …and its approvers change: the named approver decides from now on.
    expect((await call('PATCH', `/api/v1/changes/${c.id}`, agent, { approverIds: [other.user.id] })).statusCode).toBe(200);
    expect((await detail(c.id)).approvers).toMatchObject([{ name: 'Olga Other', decision: null }]);
    await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect((await call('PATCH', `/api/v1/changes/${c.id}`, agent, { risk: 'low' })).statusCode).toBe(409);
  });

  it('edits a draft’s title, description and service with its plan in one request, each on the timeline, and nothing of a refused edit', async () => {
    const c = await change();
    const edited = await call(
      'PATCH',
      `/api/v1/changes/${c.id}`,
      agent,
      { title: 'Automate certificate renewal on every gateway', description: 'Both VPN gateways.', serviceId: svc.Network, risk: 'high' },
      { 'if-match': `"${c.version}"` },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited)).toMatchObject({ title: 'Automate certificate renewal on every gateway', service: { id: svc.Network } });
    expect((await detail(c.id)).risk).toBe('high');
    const timeline = json(await call('GET', `/api/v1/tickets/${c.id}/timeline`, agent)).items as {
      type: string;
      changes: { field: string }[] | null;
    }[];
    const fields = timeline.filter((e) => e.type === 'field_changed').flatMap((e) => (e.changes ?? []).map((x) => x.field));
    expect(fields).toEqual(expect.arrayContaining(['title', 'description', 'serviceId', 'risk']));
    // The same approvers sent again (the edit form sends the whole list) records nothing.
    const before = timeline.length;
    expect((await call('PATCH', `/api/v1/changes/${c.id}`, agent, { approverIds: [] })).statusCode).toBe(200);
    expect(json(await call('GET', `/api/v1/tickets/${c.id}/timeline`, agent)).items).toHaveLength(before);

    // A service that does not exist, an empty title, or an end before the start: refused, and nothing of the edit is kept.
    const version = json(await call('GET', `/api/v1/tickets/${c.id}`, agent)).version;
    const noService = await call('PATCH', `/api/v1/changes/${c.id}`, agent, {
      title: 'Renamed',
      serviceId: '00000000-0000-4000-8000-000000000000',
    });
    expect(noService.statusCode).toBe(422);
    expect(json(noService).errors[0].field).toBe('serviceId');
    const emptyTitle = await call('PATCH', `/api/v1/changes/${c.id}`, agent, { title: '  ' });
    expect(emptyTitle.statusCode).toBe(400);
    expect(json(emptyTitle).errors[0].field).toBe('title');
    const backwards = await call('PATCH', `/api/v1/changes/${c.id}`, agent, { title: 'Renamed', plannedEnd: '2026-12-09T19:00:00Z' });
    expect(backwards.statusCode).toBe(422);
    const now = json(await call('GET', `/api/v1/tickets/${c.id}`, agent));
    expect(now).toMatchObject({ title: 'Automate certificate renewal on every gateway', version });

    // Once submitted, the title is what was submitted too.
    await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect((await call('PATCH', `/api/v1/changes/${c.id}`, agent, { title: 'Something else' })).statusCode).toBe(409);
  });

  it('refuses escalating a change or paging on-call for it (409), and changes nothing', async () => {
    const c = await change();
    const escalated = await call('POST', `/api/v1/tickets/${c.id}/escalations`, agent, { kind: 'hierarchical', reason: 'Running late' });
    expect(escalated.statusCode).toBe(409);
    expect(json(escalated).detail).toContain('is a change');
    const paged = await call('POST', `/api/v1/tickets/${c.id}/pages`, agent, { message: 'Wake someone' });
    expect(paged.statusCode).toBe(409);
    expect(json(await call('GET', `/api/v1/tickets/${c.id}`, agent))).toMatchObject({ escalationLevel: 0, version: c.version });
    expect(json(await call('GET', `/api/v1/tickets/${c.id}/pages`, agent)).items).toEqual([]);
  });

  it('leaves the generic state move closed to a change: approval cannot be skipped', async () => {
    const c = await change();
    const res = await call('POST', `/api/v1/tickets/${c.id}/transitions`, agent, { to: 'in_progress' });
    expect(res.statusCode).toBe(409);
    expect(await stageOf(c.id)).toBe('draft');
  });
});

describe('bad input changes nothing', () => {
  it('refuses a window whose end is before its start with 422 naming plannedEnd', async () => {
    const before = await ticketCount();
    const res = await call('POST', '/api/v1/changes', agent, plan({ plannedEnd: '2026-12-09T19:00:00Z' }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res).errors[0].field).toBe('plannedEnd');
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a requester as approver, and a linked ticket that is not a problem or incident', async () => {
    const before = await ticketCount();
    const bad = await call('POST', '/api/v1/changes', agent, plan({ approverIds: [rita.user.id] }));
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toBe('approverIds');
    const req = json(
      await call('POST', '/api/v1/tickets', agent, { kind: 'service_request', title: 'A mouse', requesterId: rita.user.id }),
    );
    const wrongLink = await call('POST', '/api/v1/changes', agent, plan({ linkedTicketIds: [req.id] }));
    expect(wrongLink.statusCode).toBe(422);
    expect(json(wrongLink).errors[0].field).toBe('linkedTicketIds');
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a change through the generic ticket route (it needs its plan)', async () => {
    const res = await call('POST', '/api/v1/tickets', agent, { kind: 'change', title: 'No plan' });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].field).toBe('kind');
  });

  it('refuses submitting a normal change without a backout plan, naming it', async () => {
    const c = await change({ backoutPlan: '' });
    const res = await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0].field).toBe('backoutPlan');
    expect(await stageOf(c.id)).toBe('draft');
  });
});

describe('approval policy', () => {
  it('refuses approving your own change while the policy forbids it, and allows it once an admin allows it', async () => {
    const c = await change({}, manager);
    await call('POST', `/api/v1/changes/${c.id}/submit`, manager);
    const own = await call('POST', `/api/v1/changes/${c.id}/decision`, manager, { decision: 'approved' });
    expect(own.statusCode).toBe(422);
    expect(json(own).errors[0].field).toBe('decision');
    expect(await stageOf(c.id)).toBe('awaiting_approval');

    expect((await call('PUT', '/api/v1/settings/change-approval-policy', manager, { allowSelfApproval: true })).statusCode).toBe(403);
    expect((await call('PUT', '/api/v1/settings/change-approval-policy', admin, { allowSelfApproval: true })).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/changes/${c.id}/decision`, manager, { decision: 'approved' })).statusCode).toBe(200);
    expect(await stageOf(c.id)).toBe('scheduled');
    await call('PUT', '/api/v1/settings/change-approval-policy', admin, { allowSelfApproval: false });
  });

  it('lets only named approvers decide, or a manager when none is named', async () => {
    const named = await change({ approverIds: [other.user.id] });
    await call('POST', `/api/v1/changes/${named.id}/submit`, agent);
    expect((await call('POST', `/api/v1/changes/${named.id}/decision`, manager, { decision: 'approved' })).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/changes/${named.id}/decision`, other, { decision: 'approved' })).statusCode).toBe(200);

    const unnamed = await change();
    await call('POST', `/api/v1/changes/${unnamed.id}/submit`, agent);
    expect((await call('POST', `/api/v1/changes/${unnamed.id}/decision`, other, { decision: 'approved' })).statusCode).toBe(403);
    expect(await stageOf(unnamed.id)).toBe('awaiting_approval');
  });
});

describe('calendar, conflicts, links and maintenance', () => {
  it('lists changes by planned window, and warns of an overlapping change on a touched service and an open major incident', async () => {
    const a = await change({
      title: 'Network core upgrade',
      serviceId: svc.Network,
      plannedStart: '2026-12-14T20:00:00Z',
      plannedEnd: '2026-12-14T23:00:00Z',
    });
    const b = await change({
      title: 'Portal release',
      serviceId: svc.Portal,
      plannedStart: '2026-12-14T22:00:00Z',
      plannedEnd: '2026-12-15T01:00:00Z',
    });
    const apart = await change({
      title: 'Printer drivers',
      serviceId: svc.Printing,
      plannedStart: '2026-12-14T20:00:00Z',
      plannedEnd: '2026-12-14T23:00:00Z',
    });

    const week = json(await call('GET', '/api/v1/changes?from=2026-12-14T00:00:00Z&to=2026-12-21T00:00:00Z', agent));
    expect(week.items.map((i: { number: string }) => i.number)).toEqual(expect.arrayContaining([a.number, b.number, apart.number]));
    expect(week.items.find((i: { id: string }) => i.id === a.id)).toMatchObject({ stage: 'draft', service: { name: 'Network' } });
    const bad = await call('GET', '/api/v1/changes?from=2026-12-14T00:00:00Z&to=2026-12-13T00:00:00Z', agent);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('to');

    // Portal depends on VPN, which depends on Network: the two windows meet on Portal.
    expect((await detail(a.id)).conflicts).toMatchObject([{ kind: 'change', number: b.number, serviceName: 'Portal' }]);
    expect((await detail(apart.id)).conflicts).toEqual([]);

    const inc = json(
      await call('POST', '/api/v1/tickets', agent, {
        kind: 'incident',
        title: 'Portal down',
        serviceId: svc.Portal,
        requesterId: rita.user.id,
      }),
    );
    expect((await call('POST', `/api/v1/tickets/${inc.id}/declare-major`, agent, { reason: 'Nobody can sign in' })).statusCode).toBe(200);
    expect((await detail(a.id)).conflicts).toContainEqual(expect.objectContaining({ kind: 'major_incident', number: inc.number }));

    // The calendar warns on each entry as its page does, both ways round; the change apart stays quiet.
    type Entry = { id: string; conflicts: { kind: string; number: string }[] };
    const calendar = json(await call('GET', '/api/v1/changes?from=2026-12-14T00:00:00Z&to=2026-12-21T00:00:00Z', agent)).items as Entry[];
    const on = (id: string) => (calendar.find((i) => i.id === id) as Entry).conflicts;
    expect(on(a.id)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'change', number: b.number })]));
    expect(on(a.id)).toContainEqual(expect.objectContaining({ kind: 'major_incident', number: inc.number }));
    expect(on(b.id)).toContainEqual(expect.objectContaining({ kind: 'change', number: a.number }));
    expect(on(apart.id)).toEqual([]);
    // A cancelled change warns of nothing, and no longer counts against the others.
    expect((await call('POST', `/api/v1/changes/${b.id}/cancel`, agent, { reason: 'Moved to January' })).statusCode).toBe(200);
    const after = json(await call('GET', '/api/v1/changes?from=2026-12-14T00:00:00Z&to=2026-12-21T00:00:00Z', agent)).items as Entry[];
    expect((after.find((i) => i.id === b.id) as Entry | undefined)?.conflicts ?? []).toEqual([]);
    expect((after.find((i) => i.id === a.id) as Entry).conflicts.map((c) => c.kind)).toEqual(['major_incident']);
  });

  it('links a problem and an incident on both timelines, and refuses one the caller may not see as missing', async () => {
    const prb = json(await call('POST', '/api/v1/problems', agent, { title: 'Certificate renewal is manual' }));
    const c = await change({ linkedTicketIds: [prb.id] });
    expect((await detail(c.id)).links).toMatchObject([{ number: prb.number, kind: 'problem' }]);
    const prbTimeline = json(await call('GET', `/api/v1/tickets/${prb.id}/timeline`, agent)).items.map((e: { type: string }) => e.type);
    expect(prbTimeline).toContain('change_linked');
    const res = await call('POST', `/api/v1/changes/${c.id}/links`, agent, { ticketIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0].field).toBe('linkedTicketIds');
  });

  it('announces a scheduled normal change on a public service as planned maintenance (managers only, once)', async () => {
    const c = await change({ approverIds: [other.user.id] });
    await call('POST', `/api/v1/changes/${c.id}/submit`, agent);
    expect((await call('POST', `/api/v1/changes/${c.id}/maintenance`, manager)).statusCode).toBe(409);
    await call('POST', `/api/v1/changes/${c.id}/decision`, other, { decision: 'approved' });
    expect((await call('POST', `/api/v1/changes/${c.id}/maintenance`, agent)).statusCode).toBe(403);
    const res = await call('POST', `/api/v1/changes/${c.id}/maintenance`, manager);
    expect(res.statusCode, res.body).toBe(201);
    const windows = json(await call('GET', '/api/v1/maintenance', manager));
    const listed = (windows.items ?? windows) as { id: string; title: string }[];
    expect(listed.find((w) => w.id === json(res).maintenanceId)?.title).toBe('Automate VPN certificate renewal');
    expect((await detail(c.id)).maintenanceId).toBe(json(res).maintenanceId);
    expect((await call('POST', `/api/v1/changes/${c.id}/maintenance`, manager)).statusCode).toBe(409);

    const internal = await change({ serviceId: svc.Portal, approverIds: [other.user.id] });
    await call('POST', `/api/v1/changes/${internal.id}/submit`, agent);
    await call('POST', `/api/v1/changes/${internal.id}/decision`, other, { decision: 'approved' });
    const refused = await call('POST', `/api/v1/changes/${internal.id}/maintenance`, manager);
    expect(refused.statusCode).toBe(400);
    expect(json(refused).errors[0].field).toBe('componentIds');
  });
});

describe('changes are staff-only', () => {
  it('refuses requesters every change route (403) and hides change tickets from them (404, never listed)', async () => {
    const c = await change();
    const id = c.id;
    const refusals: [Method, string, unknown?][] = [
      ['POST', '/api/v1/changes', plan()],
      ['GET', '/api/v1/changes'],
      ['GET', `/api/v1/changes/${id}`],
      ['PATCH', `/api/v1/changes/${id}`, { risk: 'low' }],
      ['POST', `/api/v1/changes/${id}/submit`],
      ['POST', `/api/v1/changes/${id}/start`],
      ['POST', `/api/v1/changes/${id}/complete`, { outcome: 'succeeded', notes: 'x' }],
      ['POST', `/api/v1/changes/${id}/cancel`, { reason: 'x' }],
      ['POST', `/api/v1/changes/${id}/decision`, { decision: 'approved' }],
      ['POST', `/api/v1/changes/${id}/links`, { ticketIds: [id] }],
      ['POST', `/api/v1/changes/${id}/maintenance`],
      ['GET', '/api/v1/settings/change-approval-policy'],
      ['PUT', '/api/v1/settings/change-approval-policy', { allowSelfApproval: true }],
    ];
    for (const [method, url, body] of refusals) {
      expect((await call(method, url, rita, body)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call('GET', `/api/v1/tickets/${id}`, rita)).statusCode).toBe(404);
    expect(json(await call('GET', '/api/v1/tickets', rita)).items.map((i: { kind: string }) => i.kind)).not.toContain('change');
    expect(await stageOf(id)).toBe('draft');
  });

  it('answers 401 to anyone not signed in', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/changes' })).statusCode).toBe(401);
  });

  it('cancels a change with a reason, and refuses a second cancellation', async () => {
    const c = await change();
    expect((await call('POST', `/api/v1/changes/${c.id}/cancel`, agent, { reason: 'Superseded' })).statusCode).toBe(200);
    expect(await stageOf(c.id)).toBe('cancelled');
    expect((await call('POST', `/api/v1/changes/${c.id}/cancel`, agent, { reason: 'Again' })).statusCode).toBe(409);
  });
});
