import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestMajorIncident, reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * A major incident's response through the API (issue 14 items 4–7): roles, investigations and
 * the root cause, tasks, meetings — each refused on an incident that is not major, each on the
 * timeline, each with its bad input answered by problem+json and nothing changed.
 */

let t: TestApp;
let lead: TestUser;
let ana: TestUser;
let ben: TestUser;
let boss: TestUser;
let admin: TestUser;
let rita: TestUser;
let roles: Record<string, { id: string; name: string }>;

beforeAll(async () => {
  t = await createTestApp();
  lead = await t.user('agent', { name: 'Lena Lead' });
  ana = await t.user('agent', { name: 'Ana Ortiz' });
  ben = await t.user('agent', { name: 'Ben Brandt' });
  boss = await t.user('manager', { name: 'Mia Manager' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  const roster = json(await t.app.inject({ method: 'GET', url: '/api/v1/incident-roles', headers: lead.headers })).items;
  roles = Object.fromEntries(roster.map((r: { key: string; id: string; name: string }) => [r.key, r]));
});
afterAll(() => t.close());

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  who: TestUser,
  payload?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> => t.app.inject({ method, url: `/api/v1${url}`, headers: { ...who.headers, ...headers }, payload });

async function incident(title: string, scope: 'global' | 'local' = 'global', major = true) {
  const ticket = await reportTicketViaApi(t, lead, { kind: 'incident', title, description: '', impact: 1, urgency: 2, scope });
  if (major) await makeTestMajorIncident(t.deps, ticket.id);
  return ticket as { id: string; number: string };
}

async function timeline(id: string) {
  return json<{ items: { type: string; body: string; internal: boolean; data: Record<string, unknown> | null }[] }>(
    await call('GET', `/tickets/${id}/timeline?limit=200`, lead),
  ).items;
}

const bell = async (who: TestUser) =>
  json<{ items: { reason: string; ticketId: string }[] }>(await call('GET', '/me/notifications', who)).items;

describe('the roster', () => {
  it('starts with the default roles, in order, the subject-matter expert held by several', async () => {
    expect(Object.keys(roles)).toEqual([
      'incident_manager',
      'technical_manager',
      'communications_manager',
      'operations_manager',
      'subject_matter_expert',
      'scribe',
    ]);
    const sme = json(await call('GET', '/incident-roles', lead)).items.find((r: { key: string }) => r.key === 'subject_matter_expert');
    expect(sme).toMatchObject({ singleHolder: false, checklist: expect.arrayContaining([expect.any(String)]) });
  });

  it('lets an admin add and change a role (If-Match), refuses a duplicate name and a stale version', async () => {
    const made = await call('POST', '/incident-roles', admin, {
      name: 'Liaison officer',
      description: 'Talks to the regulator',
      checklist: ['Call the regulator'],
    });
    expect(made.statusCode, made.body).toBe(201);
    const role = json(made);
    expect(role).toMatchObject({ name: 'Liaison officer', singleHolder: true, pages: false, active: true, version: 1 });
    const again = await call('POST', '/incident-roles', admin, { name: 'Liaison officer' });
    expect(again.statusCode).toBe(409);
    expect(json(again).errors[0].field).toBe('name');
    const changed = await call('PATCH', `/incident-roles/${role.id}`, admin, { pages: true }, { 'if-match': '"1"' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json(changed)).toMatchObject({ pages: true, version: 2 });
    const stale = await call('PATCH', `/incident-roles/${role.id}`, admin, { active: false }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    const bad = await call('POST', '/incident-roles', admin, { name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(json(bad).errors[0].field).toBe('name');
  });
});

describe('on an incident that is not major', () => {
  it('refuses roles, investigations, tasks and meetings with 409 saying it must be declared major first', async () => {
    const plain = await incident('One printer jammed', 'local', false);
    const attempts = [
      await call('GET', `/tickets/${plain.id}/roles`, lead),
      await call('POST', `/tickets/${plain.id}/roles`, lead, { roleId: roles.scribe.id, userId: ana.user.id }),
      await call('POST', `/tickets/${plain.id}/investigations`, lead, { hypothesis: 'Paper', ownerId: ana.user.id }),
      await call('POST', `/tickets/${plain.id}/tasks`, lead, { title: 'Open the tray' }),
      await call('GET', `/tickets/${plain.id}/meetings`, lead),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(409);
      expect(json(res).detail).toMatch(/must be declared major first/);
    }
    expect((await timeline(plain.id)).map((e) => e.type)).toEqual(['created']);
  });
});

describe('response roles', () => {
  it('assigns, refuses a second holder naming the holder, hands over without a gap, releases — all on the timeline', async () => {
    const vpn = await incident('VPN concentrator down');
    const im = roles.incident_manager.id;
    const first = await call('POST', `/tickets/${vpn.id}/roles`, lead, { roleId: im, userId: ana.user.id });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first).items.map((h: { holder: { name: string } }) => h.holder.name)).toEqual(['Ana Ortiz']);

    const taken = await call('POST', `/tickets/${vpn.id}/roles`, ben, { roleId: im, userId: ben.user.id });
    expect(taken.statusCode).toBe(409);
    expect(json(taken).detail).toContain('Ana Ortiz already holds Incident manager');

    // Several subject-matter experts.
    for (const who of [ana, ben]) {
      t.clock.advance(1000); // holders of one role are listed by when they took it
      const res = await call('POST', `/tickets/${vpn.id}/roles`, lead, { roleId: roles.subject_matter_expert.id, userId: who.user.id });
      expect(res.statusCode, res.body).toBe(200);
    }

    const handed = await call('POST', `/tickets/${vpn.id}/roles`, lead, { roleId: im, userId: ben.user.id, fromUserId: ana.user.id });
    expect(handed.statusCode, handed.body).toBe(200);
    const holders = json(handed).items.map((h: { role: { name: string }; holder: { name: string } }) => `${h.role.name}: ${h.holder.name}`);
    expect(holders).toEqual(['Incident manager: Ben Brandt', 'Subject-matter expert: Ana Ortiz', 'Subject-matter expert: Ben Brandt']);

    // "What is my role", for the holder.
    const mine = json(await call('GET', '/me/incident-roles', ben)).items;
    expect(mine.map((m: { ticket: { number: string }; role: { name: string } }) => `${m.ticket.number} ${m.role.name}`)).toEqual([
      `${vpn.number} Incident manager`,
      `${vpn.number} Subject-matter expert`,
    ]);
    expect(mine[0].role.checklist.length).toBeGreaterThan(0);

    const released = await call('POST', `/tickets/${vpn.id}/roles/release`, lead, {
      roleId: roles.subject_matter_expert.id,
      userId: ana.user.id,
    });
    expect(released.statusCode, released.body).toBe(200);
    const notHeld = await call('POST', `/tickets/${vpn.id}/roles/release`, lead, { roleId: roles.scribe.id, userId: ana.user.id });
    expect(notHeld.statusCode).toBe(409);

    const events = await timeline(vpn.id);
    expect(events.filter((e) => e.type.startsWith('role_')).map((e) => e.body)).toEqual([
      'Ana Ortiz is now Incident manager',
      'Ana Ortiz is now Subject-matter expert',
      'Ben Brandt is now Subject-matter expert',
      'Ana Ortiz handed Incident manager over to Ben Brandt',
      'Ana Ortiz is no longer Subject-matter expert',
    ]);
    expect(events.filter((e) => e.type.startsWith('role_')).every((e) => e.internal)).toBe(true);
    // The incident manager pages: Ben was paged when it was handed to him.
    expect((await bell(ben)).filter((n) => n.ticketId === vpn.id).map((n) => n.reason)).toContain('paged');
  });

  it('refuses a requester as holder, and requesters see none of it', async () => {
    const vpn = await incident('Wi-Fi down on floor 3');
    const res = await call('POST', `/tickets/${vpn.id}/roles`, lead, { roleId: roles.scribe.id, userId: rita.user.id });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0].field).toBe('userId');
    expect((await call('GET', `/tickets/${vpn.id}/roles`, rita)).statusCode).toBe(403);
    expect((await call('GET', `/tickets/${vpn.id}/investigations`, rita)).statusCode).toBe(403);
  });
});

describe('investigations and the root cause', () => {
  it('runs two side by side; confirming one records its conclusion as the root cause on the ticket and the timeline', async () => {
    const vpn = await incident('VPN tunnels dropping');
    const cert = await call(
      'POST',
      `/tickets/${vpn.id}/investigations`,
      lead,
      { hypothesis: 'Certificate expired', ownerId: ana.user.id, helperIds: [ben.user.id] },
      { 'idempotency-key': 'inv-cert-1' },
    );
    expect(cert.statusCode, cert.body).toBe(201);
    const replay = await call(
      'POST',
      `/tickets/${vpn.id}/investigations`,
      lead,
      { hypothesis: 'Certificate expired', ownerId: ana.user.id, helperIds: [ben.user.id] },
      { 'idempotency-key': 'inv-cert-1' },
    );
    expect(json(replay).id).toBe(json(cert).id);
    t.clock.advance(1000); // listed by when they were opened
    const isp = await call('POST', `/tickets/${vpn.id}/investigations`, lead, { hypothesis: 'Upstream ISP outage', ownerId: ben.user.id });
    expect(isp.statusCode).toBe(201);

    const finding = await call('POST', `/tickets/${vpn.id}/investigations/${json(cert).id}/findings`, ana, {
      body: 'Gateway cert expired at 09:01',
    });
    expect(finding.statusCode, finding.body).toBe(201);
    expect(json(finding).findings.map((f: { body: string; author: { name: string } }) => `${f.author.name}: ${f.body}`)).toEqual([
      'Ana Ortiz: Gateway cert expired at 09:01',
    ]);

    const noConclusion = await call('PATCH', `/tickets/${vpn.id}/investigations/${json(cert).id}`, ana, { status: 'confirmed' });
    expect(noConclusion.statusCode).toBe(400);
    expect(json(noConclusion).errors[0].field).toBe('conclusion');

    const stale = await call(
      'PATCH',
      `/tickets/${vpn.id}/investigations/${json(cert).id}`,
      ana,
      { status: 'ruled_out', conclusion: 'x' },
      { 'if-match': '"9"' },
    );
    expect(stale.statusCode).toBe(412);

    const ruledOut = await call('PATCH', `/tickets/${vpn.id}/investigations/${json(isp).id}`, ben, {
      status: 'ruled_out',
      conclusion: 'ISP reports no fault',
    });
    expect(ruledOut.statusCode).toBe(200);
    const confirmed = await call(
      'PATCH',
      `/tickets/${vpn.id}/investigations/${json(cert).id}`,
      ana,
      { status: 'confirmed', conclusion: 'The gateway certificate expired' },
      { 'if-match': `"${json(cert).version}"` },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const listed = json(await call('GET', `/tickets/${vpn.id}/investigations`, lead)).items;
    expect(listed.map((i: { hypothesis: string; status: string }) => `${i.hypothesis}: ${i.status}`)).toEqual([
      'Certificate expired: confirmed',
      'Upstream ISP outage: ruled_out',
    ]);
    const ticket = json(await call('GET', `/tickets/${vpn.id}`, lead));
    expect(ticket.rootCause).toBe('The gateway certificate expired');
    const types = (await timeline(vpn.id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['investigation_opened', 'investigation_finding', 'investigation_updated', 'root_cause_recorded']),
    );

    // The root cause stays editable, with the ticket's If-Match.
    const stalePut = await call(
      'PUT',
      `/tickets/${vpn.id}/root-cause`,
      lead,
      { rootCause: 'Expired certificate, no renewal alert' },
      { 'if-match': '"1"' },
    );
    expect(stalePut.statusCode).toBe(412);
    const edited = await call(
      'PUT',
      `/tickets/${vpn.id}/root-cause`,
      lead,
      { rootCause: 'Expired certificate, no renewal alert' },
      { 'if-match': `"${ticket.version}"` },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited).rootCause).toBe('Expired certificate, no renewal alert');
  });

  it('keeps the root cause from a requester of the incident: the desk tells them in its own words', async () => {
    const theirs = await reportTicketViaApi(t, rita, {
      kind: 'incident',
      title: 'Cannot print anything',
      description: '',
      impact: 3,
      urgency: 3,
    });
    await makeTestMajorIncident(t.deps, theirs.id);
    const fresh = json(await call('GET', `/tickets/${theirs.id}`, lead));
    const set = await call(
      'PUT',
      `/tickets/${theirs.id}/root-cause`,
      lead,
      { rootCause: 'Print spooler crashed' },
      { 'if-match': `"${fresh.version}"` },
    );
    expect(set.statusCode, set.body).toBe(200);
    expect(json(await call('GET', `/tickets/${theirs.id}`, rita)).rootCause).toBeNull();
    const listed = json(await call('GET', '/tickets?requesterId=me', rita)).items.find((x: { id: string }) => x.id === theirs.id);
    expect(listed.rootCause).toBeNull();
    expect(json(await call('GET', `/tickets/${theirs.id}`, lead)).rootCause).toBe('Print spooler crashed');
    expect((await timeline(theirs.id)).find((e) => e.type === 'root_cause_recorded')?.internal).toBe(true);
  });
});

describe('tasks', () => {
  it('hands out a task with an owner and a due time, marks it done; a due time in the past is refused', async () => {
    const vpn = await incident('Citrix sessions frozen');
    const past = await call('POST', `/tickets/${vpn.id}/tasks`, lead, {
      title: 'Restart the farm',
      dueAt: new Date(t.clock.now().getTime() - 3_600_000).toISOString(),
    });
    expect(past.statusCode).toBe(422);
    expect(json(past).errors[0].field).toBe('dueAt');
    const made = await call('POST', `/tickets/${vpn.id}/tasks`, lead, {
      title: 'Restart the farm',
      ownerId: ana.user.id,
      dueAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(json(made)).toMatchObject({ title: 'Restart the farm', owner: { name: 'Ana Ortiz' }, done: false, overdue: false });
    const done = await call('PATCH', `/tickets/${vpn.id}/tasks/${json(made).id}`, ana, { done: true }, { 'if-match': '"1"' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ done: true, version: 2 });
    expect((await timeline(vpn.id)).filter((e) => e.type.startsWith('task_')).map((e) => e.body)).toEqual([
      'Task: Restart the farm',
      'Task done: Restart the farm',
    ]);
  });
});

describe('meetings', () => {
  it('schedules with a bridge link and attendees (invited), notes decisions, starts and ends on the timeline; refuses the past', async () => {
    const vpn = await incident('ERP batch failed');
    const past = await call('POST', `/tickets/${vpn.id}/meetings`, lead, {
      title: 'Resolution meeting',
      startsAt: new Date(t.clock.now().getTime() - 3_600_000).toISOString(),
    });
    expect(past.statusCode).toBe(422);
    expect(json(past).errors[0].field).toBe('startsAt');
    const badLink = await call('POST', `/tickets/${vpn.id}/meetings`, lead, {
      title: 'Resolution meeting',
      startsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      link: 'javascript:alert(1)',
    });
    expect(badLink.statusCode).toBe(400);
    expect(json(badLink).errors[0].field).toBe('link');

    const made = await call('POST', `/tickets/${vpn.id}/meetings`, lead, {
      title: 'Resolution meeting',
      startsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      link: 'https://meet.example.test/erp',
      attendeeIds: [ana.user.id, ben.user.id],
      agenda: 'Rerun or roll back?',
    });
    expect(made.statusCode, made.body).toBe(201);
    const meeting = json(made);
    expect(meeting.attendees.map((a: { name: string }) => a.name)).toEqual(['Ana Ortiz', 'Ben Brandt']);
    expect((await bell(ana)).filter((n) => n.ticketId === vpn.id).map((n) => n.reason)).toContain('meeting_invitation');

    const early = await call('POST', `/tickets/${vpn.id}/meetings/${meeting.id}/end`, lead);
    expect(early.statusCode).toBe(409);
    expect((await call('POST', `/tickets/${vpn.id}/meetings/${meeting.id}/start`, lead)).statusCode).toBe(200);
    const decided = await call(
      'PATCH',
      `/tickets/${vpn.id}/meetings/${meeting.id}`,
      lead,
      { decisions: 'Roll back to yesterday’s run' },
      { 'if-match': '"2"' },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await call('POST', `/tickets/${vpn.id}/meetings/${meeting.id}/end`, lead)).statusCode).toBe(200);
    expect((await timeline(vpn.id)).filter((e) => e.type.startsWith('meeting_')).map((e) => e.type)).toEqual([
      'meeting_scheduled',
      'meeting_started',
      'meeting_updated',
      'meeting_ended',
    ]);
  });

  it('lets the Technical Manager of a global incident escalate it to management and invite them; not on a local one', async () => {
    const vpn = await incident('Datacenter cooling failure');
    await call('POST', `/tickets/${vpn.id}/roles`, lead, { roleId: roles.technical_manager.id, userId: ana.user.id });
    const startsAt = new Date(t.clock.now().getTime() + 1_800_000).toISOString();
    const notTm = await call('POST', `/tickets/${vpn.id}/meetings`, ben, {
      title: 'Escalation meeting',
      startsAt,
      escalateTo: { managerId: boss.user.id, reason: 'Two sites affected' },
    });
    expect(notTm.statusCode).toBe(403);
    const made = await call('POST', `/tickets/${vpn.id}/meetings`, ana, {
      title: 'Escalation meeting',
      startsAt,
      escalateTo: { managerId: boss.user.id, reason: 'Two sites affected' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(json(made).attendees.map((a: { name: string }) => a.name)).toEqual(['Mia Manager']);
    const escalated = (await timeline(vpn.id)).find((e) => e.type === 'escalated');
    expect(escalated?.data).toMatchObject({ kind: 'hierarchical', toUserId: boss.user.id });
    expect(
      (await bell(boss))
        .filter((n) => n.ticketId === vpn.id)
        .map((n) => n.reason)
        .sort(),
    ).toEqual(['escalated_to_you', 'meeting_invitation']);

    const local = await incident('Floor printer offline', 'local');
    await call('POST', `/tickets/${local.id}/roles`, lead, { roleId: roles.technical_manager.id, userId: ana.user.id });
    const refused = await call('POST', `/tickets/${local.id}/meetings`, ana, {
      title: 'Escalation meeting',
      startsAt,
      escalateTo: { managerId: boss.user.id, reason: 'Printer' },
    });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).errors[0].field).toBe('escalateTo');
  });
});
