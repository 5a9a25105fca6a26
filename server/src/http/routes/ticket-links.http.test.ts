import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let agent: TestUser;
let manager: TestUser;
let admin: TestUser;
let rita: TestUser;
let sam: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent', { name: 'Ada Agent' });
  manager = await t.user('manager', { name: 'Tom Technical' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  sam = await t.user('requester', { name: 'Sam' });
});
afterAll(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, asserting what they need
type Json = Record<string, any>;
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, who: TestUser, payload?: Json, version?: number) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...who.headers, ...(version !== undefined ? { 'if-match': `"${version}"` } : {}) },
    ...(payload ? { payload } : {}),
  });
const get = async (url: string, who: TestUser = agent) => json<Json>(await call('GET', url, who));
const report = async (who: TestUser, title: string, extra: Json = {}) => {
  const res = await call('POST', '/tickets', who, { kind: 'incident', title, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return json<Json>(res);
};
const timeline = async (id: string, who: TestUser = agent) => (await get(`/tickets/${id}/timeline?limit=200`, who)).items as Json[];
const bell = async (who: TestUser) => (await get('/me/notifications', who)).items as { reason: string; text: string; ticketId: string }[];
const expectProblem = (res: Awaited<ReturnType<typeof call>>, status: number, field?: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  if (field) expect(json(res).errors.map((e: { field: string }) => e.field)).toContain(field);
  return json<Json>(res);
};
const sweep = () => runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);

describe('scope and ownership', () => {
  it('makes an incident global with a reason: major since now, owned by the Technical Manager (a team’s manager), on the timeline', async () => {
    const team = json(
      await call('POST', '/teams', admin, { name: 'Network operations', managerId: manager.user.id, memberIds: [manager.user.id] }),
    );
    const set = await call('PUT', '/settings/incident-ownership', admin, {
      local: { name: 'Service Desk Lead', holder: null },
      global: { name: 'Duty Technical Manager', holder: { kind: 'team', teamId: team.id } },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await get('/settings/incident-ownership')).global.name).toBe('Duty Technical Manager');

    const vpn = await report(agent, 'VPN drops every few minutes');
    expectProblem(await call('POST', `/tickets/${vpn.id}/scope`, agent, { scope: 'global' }, vpn.version), 400, 'reason');
    expectProblem(await call('PATCH', `/tickets/${vpn.id}`, agent, { scope: 'global' }, vpn.version), 422, 'scope');
    expect((await get(`/tickets/${vpn.id}`)).version).toBe(vpn.version); // nothing changed

    const res = await call('POST', `/tickets/${vpn.id}/scope`, agent, { scope: 'global', reason: 'Every site reports it' }, vpn.version);
    expect(res.statusCode, res.body).toBe(200);
    const global = json<Json>(res);
    expect(global).toMatchObject({ scope: 'global', assignee: { id: manager.user.id }, team: { id: team.id }, state: 'assigned' });
    expect(global.majorSince).toBe(t.clock.now().toISOString());
    const types = (await timeline(vpn.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['scope_changed', 'major_declared', 'assigned']));
    expect((await timeline(vpn.id)).find((e) => e.type === 'scope_changed')?.body).toBe('Every site reports it');
    // The Technical Manager hears of it: it is assigned to them.
    expect((await bell(manager)).map((n) => [n.reason, n.ticketId])).toContainEqual(['assigned_to_you', vpn.id]);
    // It is what the portal's known-issue check shows.
    expect((await get('/known-issues', rita)).items.map((k: Json) => k.id)).toContain(vpn.id);

    // Declaring it again is a conflict; a local one declared becomes global.
    expectProblem(await call('POST', `/tickets/${vpn.id}/declare-major`, agent, { reason: 'again' }), 409);
    const mail = await report(agent, 'Mail is slow');
    const declared = json<Json>(await call('POST', `/tickets/${mail.id}/declare-major`, agent, { reason: 'Storm of reports' }));
    expect(declared).toMatchObject({ scope: 'global', assignee: { id: manager.user.id } });
    expect(declared.majorSince).not.toBeNull();
    expectProblem(await call('POST', `/tickets/${mail.id}/declare-major`, rita, { reason: 'me' }), 403);
  });

  it('makes an incident reported global by the desk a major incident from the start, handed to the Technical Manager', async () => {
    const reported = await report(agent, 'Everything is down', { scope: 'global' });
    expect(reported.majorSince).toBe(reported.openedAt);
    // As a change of scope to global does (the first test set the role to a team's manager).
    expect(reported).toMatchObject({ assignee: { id: manager.user.id }, team: { name: 'Network operations' }, state: 'assigned' });
    const handed = (await timeline(reported.id)).find((e) => e.type === 'assigned');
    expect(handed?.data).toMatchObject({ ownerRole: 'Duty Technical Manager' });
    expect((await bell(manager)).map((n) => [n.reason, n.ticketId])).toContainEqual(['assigned_to_you', reported.id]);
    // Even over an assignee the report named: the role owns global incidents.
    const named = await report(agent, 'Everything is down again', { scope: 'global', assigneeId: agent.user.id });
    expect(named.assignee).toMatchObject({ id: manager.user.id });
    const local = await report(agent, 'One printer', { scope: 'local' });
    expect(local).toMatchObject({ majorSince: null, assignee: null, state: 'new' });
  });

  it('refuses an ownership holder that does not exist or cannot own incidents, and keeps the setting', async () => {
    const before = await get('/settings/incident-ownership');
    const bad = await call('PUT', '/settings/incident-ownership', admin, {
      local: { name: 'CSM', holder: { kind: 'person', userId: rita.user.id } },
      global: { name: 'TM', holder: null },
    });
    expectProblem(bad, 422, 'local.holder.userId');
    expect(await get('/settings/incident-ownership')).toEqual(before);
  });
});

describe('parent and child', () => {
  it('links reports to an incident: each requester is told once, counts as affected, and unlinking undoes it', async () => {
    const parent = await report(agent, 'Wi-Fi down in building C');
    const a = await report(rita, 'No Wi-Fi on floor 2');
    const b = await report(sam, 'Wi-Fi keeps dropping');
    const res = await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [a.id, b.id] }, parent.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).linked.sort()).toEqual([a.id, b.id].sort());
    expect((await get(`/tickets/${a.id}`)).parentId).toBe(parent.id);
    expect((await get(`/tickets/${parent.id}`)).affectedCount).toBe(2);

    // Rita reads the notice on her own ticket (public) and in her bell; she sees the parent, not its children.
    const notice = (await timeline(a.id, rita)).filter((e) => e.type === 'comment');
    expect(notice).toHaveLength(1);
    expect(notice[0].body).toContain(`known problem`);
    expect(notice[0].body).toContain(parent.number);
    expect((await bell(rita)).filter((n) => n.ticketId === a.id).map((n) => n.reason)).toEqual(['reply_from_desk']);
    const ritasLinks = await get(`/tickets/${a.id}/links`, rita);
    expect(ritasLinks.parent).toMatchObject({ id: parent.id, number: parent.number });
    expect(ritasLinks.children).toEqual([]);
    // The incident itself is not hers: its links answer like a missing ticket.
    expectProblem(await call('GET', `/tickets/${parent.id}/links`, rita), 404);
    const deskLinks = await get(`/tickets/${parent.id}/links`);
    expect(deskLinks.children.map((c: Json) => c.number).sort()).toEqual([a.number, b.number].sort());
    expect(deskLinks.childCount).toEqual({ all: 2, open: 2 });

    // Linking again changes nothing; unlinking and relinking does not tell her again.
    expect(json(await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [a.id] })).linked).toEqual([]);
    const unlinked = await call('DELETE', `/tickets/${parent.id}/children/${a.id}`, agent);
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(json(unlinked).affectedCount).toBe(1);
    expect((await get(`/tickets/${a.id}`)).parentId).toBeNull();
    await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [a.id] });
    expect((await timeline(a.id, rita)).filter((e) => e.type === 'comment')).toHaveLength(1);
    expect((await bell(rita)).filter((n) => n.ticketId === a.id)).toHaveLength(1);

    // A requester may not link or unlink.
    expectProblem(await call('POST', `/tickets/${parent.id}/children`, rita, { ticketIds: [b.id] }), 403);
    expectProblem(await call('DELETE', `/tickets/${parent.id}/children/${b.id}`, rita), 403);
  });

  it('refuses itself, a cycle, a parent that is not an incident, a final child and another incident’s child, and changes nothing', async () => {
    const parent = await report(agent, 'Printer fleet offline');
    const child = await report(rita, 'Cannot print');
    const other = await report(sam, 'Printer says offline');
    const request = await report(agent, 'New toner please', { kind: 'service_request' });
    const gone = await report(sam, 'Printer jam (withdrawn)');
    await call('POST', `/tickets/${gone.id}/transitions`, agent, { to: 'cancelled', reason: 'Reported by mistake' });
    await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [child.id] });
    const version = (await get(`/tickets/${parent.id}`)).version;

    const self = expectProblem(
      await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [parent.id, other.id] }),
      409,
      'ticketIds',
    );
    expect(self.detail).toContain('cannot be a child of itself');
    const cycle = expectProblem(await call('POST', `/tickets/${child.id}/children`, agent, { ticketIds: [parent.id] }), 409, 'ticketIds');
    expect(cycle.detail).toContain('cycle');
    expectProblem(await call('POST', `/tickets/${request.id}/children`, agent, { ticketIds: [other.id] }), 422, 'parent');
    const final = expectProblem(
      await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [other.id, gone.id] }),
      422,
      'ticketIds',
    );
    expect(final.detail).toContain('cancelled');
    const second = await report(agent, 'Printers, second incident');
    expectProblem(await call('POST', `/tickets/${second.id}/children`, agent, { ticketIds: [child.id] }), 409, 'ticketIds');
    expectProblem(await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [] }), 400, 'ticketIds');
    expectProblem(await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [other.id] }, version - 1), 412);

    // Nothing changed: the valid ticket in a refused batch is not linked, versions are where they were.
    expect((await get(`/tickets/${other.id}`)).parentId).toBeNull();
    expect((await get(`/tickets/${other.id}`)).version).toBe(other.version);
    expect((await get(`/tickets/${parent.id}`)).version).toBe(version);
    expect((await get(`/tickets/${parent.id}`)).parentId).toBeNull();
  });

  it('resolves every open child with its incident, in a job, and the requesters hear the resolution note', async () => {
    const parent = await report(agent, 'Payroll portal unreachable');
    const children = [await report(rita, 'Payroll will not load'), await report(sam, 'Cannot see my payslip')];
    const unlinkedLater = await report(sam, 'Payroll is slow');
    await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [...children, unlinkedLater].map((c) => c.id) });
    await call('DELETE', `/tickets/${parent.id}/children/${unlinkedLater.id}`, agent);
    const resolved = await call('POST', `/tickets/${parent.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'The load balancer certificate was renewed.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    // Not by hand in the writer: the children are still open until the job runs.
    expect((await get(`/tickets/${children[0].id}`)).state).toBe('new');
    await sweep();
    for (const child of children) {
      const after = await get(`/tickets/${child.id}`);
      expect(after).toMatchObject({
        state: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'The load balancer certificate was renewed.',
      });
    }
    expect((await get(`/tickets/${unlinkedLater.id}`)).state).toBe('new');
    const ritas = (await bell(rita)).filter((n) => n.ticketId === children[0].id);
    expect(ritas.map((n) => n.reason)).toContain('resolved');
    const event = (await timeline(children[0].id, rita)).find((e) => e.type === 'state_changed');
    expect(event?.body).toBe('The load balancer certificate was renewed.');
  });
});

describe('merging a duplicate', () => {
  it('closes the duplicate with code duplicate pointing to the survivor; its requester follows the survivor', async () => {
    const survivor = await report(agent, 'Teams calls drop');
    await call('POST', `/tickets/${survivor.id}/scope`, agent, { scope: 'global', reason: 'Company-wide' });
    const duplicate = await report(rita, 'Teams call dropped twice');
    const res = await call('POST', `/tickets/${duplicate.id}/merge`, agent, { intoId: survivor.id }, duplicate.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ state: 'closed', resolutionCode: 'duplicate', mergedIntoId: survivor.id });
    // Rita's conversation stays readable and names the survivor.
    const links = await get(`/tickets/${duplicate.id}/links`, rita);
    expect(links.mergedInto).toMatchObject({ id: survivor.id, number: survivor.number });
    expect((await timeline(duplicate.id, rita)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['created', 'state_changed', 'merged', 'comment']),
    );
    expect((await get('/me/followed-tickets', rita)).items.map((f: Json) => f.id)).toContain(survivor.id);
    expect((await get(`/tickets/${survivor.id}`)).affectedCount).toBe(1);

    expectProblem(await call('POST', `/tickets/${duplicate.id}/merge`, agent, { intoId: survivor.id }), 409, 'ticketId');
    const other = await report(sam, 'Teams again');
    const self = expectProblem(await call('POST', `/tickets/${other.id}/merge`, agent, { intoId: other.id }), 409, 'intoId');
    expect(self.detail).toContain('into itself');
    expect((await get(`/tickets/${other.id}`)).version).toBe(other.version);
    expectProblem(await call('POST', `/tickets/${other.id}/merge`, sam, { intoId: survivor.id }), 403);
  });

  it('moves a duplicate incident’s open children and affected people to the survivor, on both timelines', async () => {
    const survivor = await report(agent, 'Printing down across the campus');
    const duplicate = await report(agent, 'Print server offline');
    const ritas = await report(rita, 'Cannot print');
    const sams = await report(sam, 'Printer queue stuck');
    const done = await report(sam, 'Printer out of paper');
    await call('POST', `/tickets/${duplicate.id}/children`, agent, { ticketIds: [ritas.id, sams.id, done.id] });
    await call('POST', `/tickets/${done.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Paper added.',
    });
    const joiner = await t.user('requester', { name: 'Joiner' });
    await call('POST', `/tickets/${duplicate.id}/scope`, agent, { scope: 'global', reason: 'Whole campus' });
    expect(json(await call('PUT', `/tickets/${duplicate.id}/affected`, joiner))).toMatchObject({ joined: true });

    const res = await call('POST', `/tickets/${duplicate.id}/merge`, agent, { intoId: survivor.id });
    expect(res.statusCode, res.body).toBe(200);
    // The open children follow the survivor; the resolved one's story ended under the duplicate.
    expect((await get(`/tickets/${ritas.id}`)).parentId).toBe(survivor.id);
    expect((await get(`/tickets/${sams.id}`)).parentId).toBe(survivor.id);
    expect((await get(`/tickets/${done.id}`)).parentId).toBe(duplicate.id);
    const links = await get(`/tickets/${survivor.id}/links`);
    expect(links.children.map((c: Json) => c.number).sort()).toEqual([ritas.number, sams.number].sort());
    // Rita, Sam and the joiner are affected by the survivor; the joiner follows it now.
    expect((await get(`/tickets/${survivor.id}`)).affectedCount).toBe(3);
    expect((await get('/me/followed-tickets', joiner)).items.map((f: Json) => f.id)).toContain(survivor.id);
    // Both timelines say so, and Rita is told once where to follow the problem now.
    const moved = (await timeline(duplicate.id)).find((e) => e.type === 'children_changed' && e.data?.movedTo);
    expect(moved?.data.movedTo).toMatchObject({ number: survivor.number });
    expect(moved?.data.unlinked.map((c: Json) => c.number).sort()).toEqual([ritas.number, sams.number].sort());
    const taken = (await timeline(survivor.id)).find((e) => e.type === 'children_changed' && e.data?.movedFrom);
    expect(taken?.data.movedFrom).toMatchObject({ number: duplicate.number });
    const notices = (await timeline(ritas.id, rita)).filter((e) => e.type === 'comment').map((e) => e.body as string);
    expect(notices.filter((b) => b.includes(survivor.number))).toHaveLength(1);

    // Resolving the survivor now resolves them.
    await call('POST', `/tickets/${survivor.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'The print server was restarted.',
    });
    await sweep();
    expect((await get(`/tickets/${ritas.id}`)).state).toBe('resolved');
  });

  it('refuses to merge an incident with open children into one that cannot take them, or into its own child', async () => {
    const parent = await report(agent, 'Badge readers down');
    const child = await report(rita, 'My badge does not open the door');
    const request = await report(agent, 'Replace a badge reader', { kind: 'service_request' });
    await call('POST', `/tickets/${parent.id}/children`, agent, { ticketIds: [child.id] });
    const version = (await get(`/tickets/${parent.id}`)).version;
    const intoRequest = expectProblem(await call('POST', `/tickets/${parent.id}/merge`, agent, { intoId: request.id }), 409, 'intoId');
    expect(intoRequest.detail).toContain('1 open child ticket');
    const intoChild = expectProblem(await call('POST', `/tickets/${parent.id}/merge`, agent, { intoId: child.id }), 409, 'intoId');
    expect(intoChild.detail).toContain('linked below');
    expect(await get(`/tickets/${parent.id}`)).toMatchObject({ version, state: 'new' });
    expect((await get(`/tickets/${child.id}`)).parentId).toBe(parent.id);
  });
});

describe('Me too', () => {
  it('does not make a desk member’s open form stale; the impact the rule raises does', async () => {
    const outage = await report(agent, 'File shares unreachable', { impact: 3, urgency: 2 });
    await call('POST', `/tickets/${outage.id}/scope`, agent, { scope: 'global', reason: 'Every office' });
    const loaded = await get(`/tickets/${outage.id}`);
    const joined = await call('PUT', `/tickets/${outage.id}/affected`, rita);
    expect(json(joined)).toMatchObject({ affectedCount: 1, joined: true });
    // Joining is not an edit of the incident: the version the desk loaded still holds.
    const after = await get(`/tickets/${outage.id}`);
    expect(after).toMatchObject({ version: loaded.version, affectedCount: 1 });
    expect((await timeline(outage.id)).map((e) => e.type)).toContain('affected_added');
    const edit = await call('PATCH', `/tickets/${outage.id}`, agent, { urgency: 1 }, loaded.version);
    expect(edit.statusCode, edit.body).toBe(200);
    expect(json(edit)).toMatchObject({ urgency: 1, affectedCount: 1 });

    // The fifth person raises the impact (a field people edit): a form from before that is stale.
    const beforeRaise = json<Json>(edit);
    for (let n = 2; n <= 5; n++)
      await call('PUT', `/tickets/${outage.id}/affected`, await t.user('requester', { name: `Share user ${n}` }));
    const raised = await get(`/tickets/${outage.id}`);
    expect(raised).toMatchObject({ affectedCount: 5, impact: 2 });
    expect(raised.version).toBe(beforeRaise.version + 1);
    expectProblem(await call('PATCH', `/tickets/${outage.id}`, agent, { impact: 3 }, beforeRaise.version), 412);
  });

  it('adds the person as affected and as a follower, never a new ticket; again changes nothing', async () => {
    const outage = await report(agent, 'SAP is down');
    await call('POST', `/tickets/${outage.id}/scope`, agent, { scope: 'global', reason: 'All plants' });
    const ticketsBefore = (await get('/tickets?limit=200', rita)).items.length;
    const res = await call('PUT', `/tickets/${outage.id}/affected`, rita);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ affectedCount: 1, joined: true, following: true });
    expect(json(await call('PUT', `/tickets/${outage.id}/affected`, rita))).toMatchObject({ affectedCount: 1, joined: false });
    expect((await get('/tickets?limit=200', rita)).items.length).toBe(ticketsBefore);
    expect((await get('/me/followed-tickets', rita)).items.map((f: Json) => f.id)).toContain(outage.id);
    expect((await get(`/tickets/${outage.id}`)).affectedCount).toBe(1);
    // A local ticket of someone else is not a known problem: like a missing one.
    const local = await report(sam, 'My mouse is broken');
    expectProblem(await call('PUT', `/tickets/${local.id}/affected`, rita), 404);
  });

  it('raises impact to medium at 5 affected people (with a timeline entry saying why), never over an agent’s choice', async () => {
    const people = await Promise.all([1, 2, 3, 4, 5].map((n) => t.user('requester', { name: `Affected ${n}` })));
    const outage = await report(agent, 'Intranet down', { impact: 3, urgency: 2 });
    const chosen = await report(agent, 'Intranet search down', { impact: 3, urgency: 2 });
    for (const id of [outage.id, chosen.id]) await call('POST', `/tickets/${id}/scope`, agent, { scope: 'global', reason: 'Everyone' });
    // An agent sets the second one's impact by hand (to low, explicitly).
    const current = await get(`/tickets/${chosen.id}`);
    await call('PATCH', `/tickets/${chosen.id}`, agent, { impact: 2 }, current.version);
    const back = await get(`/tickets/${chosen.id}`);
    await call('PATCH', `/tickets/${chosen.id}`, agent, { impact: 3 }, back.version);
    for (const person of people) {
      await call('PUT', `/tickets/${outage.id}/affected`, person);
      await call('PUT', `/tickets/${chosen.id}/affected`, person);
    }
    const raised = await get(`/tickets/${outage.id}`);
    expect(raised).toMatchObject({ affectedCount: 5, impact: 2 });
    const why = (await timeline(outage.id)).find((e) => e.type === 'field_changed' && e.data?.rule === 'affected_people');
    expect(why?.body).toContain('5 people are affected');
    expect(await get(`/tickets/${chosen.id}`)).toMatchObject({ affectedCount: 5, impact: 3 });
  });
});

describe('finding a ticket by number', () => {
  it('answers the id of a ticket by its number for staff, and names the number when there is none', async () => {
    const one = await report(agent, 'Find me by number');
    expect(await get(`/ticket-numbers/${one.number.toLowerCase()}`)).toMatchObject({ id: one.id, number: one.number });
    expectProblem(await call('GET', '/ticket-numbers/INC9999999', agent), 422, 'number');
    expectProblem(await call('GET', '/ticket-numbers/not-a-number', agent), 400, 'number');
  });
});
