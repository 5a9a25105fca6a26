import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NINE_TO_FIVE_WEEK } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * Automation rules (issue 18), the rest: conditions on the requester's organisation and on
 * working hours by a business calendar; actions that assign fairly, link to a problem, page an
 * escalation policy and send to a webhook; and a rule telling a crowd asks to be confirmed.
 */

let t: TestApp;
let admin: TestUser;
let ann: TestUser;
let lee: TestUser;
let rita: TestUser;
let network: { id: string };
let office: { id: string };

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: TestUser | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.headers ?? {}, ...(payload ? { payload } : {}) });
const saveRule = (payload: object) => call('POST', '/api/v1/automation/rules', admin, payload);
const report = async (title: string) => json(await call('POST', '/api/v1/tickets', rita, { title, kind: 'incident' }));
const ticket = async (id: string) => json(await call('GET', `/api/v1/tickets/${id}`, admin));
const timeline = async (id: string) =>
  json(await call('GET', `/api/v1/tickets/${id}/timeline`, admin)).items as {
    type: string;
    body: string | null;
    data: Record<string, unknown> | null;
  }[];
/** Each test's rules stand alone: the ones before are switched off. */
async function onlyRule(payload: object) {
  for (const r of json(await call('GET', '/api/v1/automation/rules', admin)).items) {
    if (r.enabled) await call('PUT', `/api/v1/automation/rules/${r.id}`, admin, { ...ruleBody(r), enabled: false });
  }
  const res = await saveRule({ enabled: true, ...payload });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}
const ruleBody = (r: Record<string, unknown>) => ({
  name: r.name,
  trigger: r.trigger,
  conditions: r.conditions,
  actions: r.actions,
  stopAfterMatch: r.stopAfterMatch,
  confirmLargeAudience: true,
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  ann = await t.user('agent', { name: 'Ann Agent' });
  lee = await t.user('agent', { name: 'Lee Lead' });
  rita = await t.user('requester', { name: 'Rita Requester' });
  network = json(await call('POST', '/api/v1/teams', admin, { name: 'Network', memberIds: [ann.user.id, lee.user.id] }));
  office = json(
    await call('POST', '/api/v1/business-calendars', admin, { name: 'Berlin office', timeZone: 'Europe/Berlin', week: NINE_TO_FIVE_WEEK }),
  );
});
afterAll(() => t.close());

describe("conditions: the requester's organisation and working hours", () => {
  it('fires only for ACME’s requesters and only outside the office’s hours', async () => {
    expect((await call('PATCH', `/api/v1/users/${rita.user.id}`, admin, { organisation: 'ACME Logistics' })).statusCode).toBe(200);
    await onlyRule({
      name: 'ACME after hours',
      trigger: { on: 'created' },
      conditions: [
        { op: 'in', field: 'organisation', values: ['acme logistics'] },
        { op: 'working_hours', calendarId: office.id, inside: false },
      ],
      actions: [{ type: 'assign', teamId: network.id }],
    });
    // Monday 09:00 in Berlin: inside the office's hours, so nothing happens.
    t.clock.set('2026-03-02T08:00:00Z');
    const morning = await report('VPN drops');
    expect((await ticket(morning.id)).team).toBeNull();
    // Monday 20:00 in Berlin: outside them.
    t.clock.set('2026-03-02T19:00:00Z');
    const evening = await report('VPN drops again');
    expect((await ticket(evening.id)).team?.name).toBe('Network');
    // Another organisation's requester, the same evening: not matched.
    await call('PATCH', `/api/v1/users/${rita.user.id}`, admin, { organisation: 'Globex' });
    const globex = await report('VPN drops for Globex');
    expect((await ticket(globex.id)).team).toBeNull();
    t.clock.set('2026-03-02T08:00:00Z');
  });

  it('refuses a calendar that does not exist and an empty organisation, naming the field', async () => {
    const res = await saveRule({
      name: 'Broken',
      trigger: { on: 'created' },
      conditions: [
        { op: 'in', field: 'organisation', values: [' '] },
        { op: 'working_hours', calendarId: '00000000-0000-4000-8000-000000000000', inside: true },
      ],
      actions: [{ type: 'assign', teamId: network.id }],
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors.map((e: { field: string }) => e.field)).toEqual(['conditions.0.values.0']);
    const missing = await saveRule({
      name: 'Broken',
      trigger: { on: 'created' },
      conditions: [{ op: 'working_hours', calendarId: '00000000-0000-4000-8000-000000000000', inside: true }],
      actions: [{ type: 'assign', teamId: network.id }],
    });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).errors).toEqual([{ field: 'conditions.0.calendarId', message: 'is not a business calendar (any more)' }]);
  });
});

describe('actions: assign fairly, link to a problem, page, send to a webhook', () => {
  it('sets the team, then hands tickets to its members in turn, the reason on the timeline', async () => {
    await onlyRule({
      name: 'Network in turn',
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'switch' }],
      actions: [{ type: 'assign', teamId: network.id }, { type: 'assign_fairly' }],
    });
    const first = await ticket((await report('Switch port dead')).id);
    const second = await ticket((await report('Switch fans loud')).id);
    expect(first.team?.name).toBe('Network');
    const assignees = [first.assignee?.name, second.assignee?.name];
    expect(new Set(assignees)).toEqual(new Set(['Ann Agent', 'Lee Lead']));
    const assigned = (await timeline(first.id)).filter((e) => e.type === 'assigned');
    expect(assigned.map((e) => e.data?.fairAssignment).filter(Boolean)).toEqual([expect.objectContaining({ strategy: 'round_robin' })]);
    expect((await timeline(first.id)).find((e) => e.type === 'automation_ran')?.body).toContain('assigned fairly within the team');
  });

  it('never sets itself off again: a "ticket is changed" rule that assigns fairly runs once per change', async () => {
    await onlyRule({
      name: 'Changed switch tickets in turn',
      trigger: { on: 'updated' },
      conditions: [{ op: 'contains', text: 'uplink' }],
      actions: [{ type: 'assign_fairly', strategy: 'least_loaded' }],
    });
    const uplink = await report('Uplink flaps');
    const before = await ticket(uplink.id);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${uplink.id}`,
      headers: { ...ann.headers, 'if-match': `"${before.version}"` },
      payload: { teamId: network.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const runs = (await timeline(uplink.id)).filter((e) => e.type === 'automation_ran');
    expect(runs.map((e) => e.data?.ruleName)).toEqual(['Changed switch tickets in turn']);
    expect(['Ann Agent', 'Lee Lead']).toContain((await ticket(uplink.id)).assignee?.name);
  });

  it('links a new incident to an open problem, on both timelines, and is refused for a problem that is gone', async () => {
    const problem = json(await call('POST', '/api/v1/problems', ann, { title: 'Flaky Wi-Fi controller' }));
    await onlyRule({
      name: 'Wi-Fi to its problem',
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'wi-fi' }],
      actions: [{ type: 'link_problem', problemId: problem.id }],
    });
    const incident = await report('Wi-Fi gone on floor 3');
    expect((await ticket(incident.id)).problemId ?? (await ticket(incident.id)).problem?.id).toBe(problem.id);
    expect((await timeline(incident.id)).some((e) => e.type === 'problem_linked')).toBe(true);
    expect((await timeline(problem.id)).filter((e) => e.type === 'problem_linked').map((e) => e.data?.incidentId)).toEqual([incident.id]);
    const gone = await saveRule({
      name: 'Nowhere',
      trigger: { on: 'created' },
      actions: [{ type: 'link_problem', problemId: incident.id }],
    });
    expect(gone.statusCode).toBe(400);
    expect(json(gone).errors).toEqual([{ field: 'actions.0.problemId', message: 'is not an open problem (any more)' }]);
  });

  it('pages an escalation policy for the ticket, reaching its people', async () => {
    const manager = await t.user('manager');
    const policy = json(
      await call('POST', '/api/v1/escalation-policies', manager, {
        name: 'Network nights',
        levels: [{ targets: [{ type: 'user', id: ann.user.id }], timeoutMinutes: 5 }],
      }),
    );
    const pager = await onlyRule({
      name: 'Core down pages',
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'core router' }],
      actions: [{ type: 'page', escalationPolicyId: policy.id, message: 'Core router reported down' }],
    });
    const incident = await report('Core router down');
    const events = await timeline(incident.id);
    expect(events.find((e) => e.type === 'page_triggered')).toMatchObject({
      body: 'Core router reported down',
      data: { policyName: 'Network nights' },
    });
    expect(events.find((e) => e.type === 'page_notified')?.data?.userIds).toEqual([ann.user.id]);
    expect(events.find((e) => e.type === 'automation_ran')?.body).toContain('paged Network nights');
    // A dry run (every ticket here: they share one instant) says what it would do besides fields, with names, and pages nobody.
    const dry = json(await call('POST', '/api/v1/automation/rules/dry-run', admin, { ruleId: pager.id, last: 100 }));
    expect(dry.items.map((i: { ticket: { id: string }; also: string[] }) => [i.ticket.id, i.also])).toEqual([
      [incident.id, ['Page Network nights: “Core router reported down”']],
    ]);
    expect((await timeline(incident.id)).filter((e) => e.type === 'page_triggered')).toHaveLength(1);
  });

  it('queues the firing for a webhook in the outbound delivery log, once', async () => {
    const created = await call('POST', '/api/v1/webhooks', admin, {
      name: 'Ops chat',
      url: 'https://hooks.example.test/ops',
      format: 'json',
      eventTypes: ['state_changed'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const hook = json(created);
    await onlyRule({
      name: 'Printers to Ops chat',
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'printer' }],
      actions: [{ type: 'webhook', webhookId: hook.id }],
    });
    const incident = await report('Printer on fire');
    const log = json(await call('GET', `/api/v1/tickets/${incident.id}/notifications`, admin)).items as {
      channel: string;
      webhookName: string | null;
      reason: string;
      state: string;
    }[];
    expect(log.filter((d) => d.channel === 'webhook')).toEqual([
      expect.objectContaining({ webhookName: 'Ops chat', reason: 'automation_ran', state: 'pending' }),
    ]);
  });
});

describe('a rule that tells many people', () => {
  it('asks the admin to confirm, naming the count, and saves the rule once confirmed', async () => {
    const people = await Promise.all(Array.from({ length: 26 }, (_, i) => t.user('agent', { name: `Watcher ${i}` })));
    const crowd = {
      name: 'Everyone hears of P1s',
      trigger: { on: 'created' },
      actions: [{ type: 'notify', userIds: people.map((p) => p.user.id) }],
    };
    const asked = await saveRule(crowd);
    expect(asked.statusCode).toBe(422);
    expect(json(asked).errors).toEqual([{ field: 'confirmLargeAudience', message: expect.stringMatching(/would tell 26 people/) }]);
    expect(json(asked).audience).toBe(26);
    const before = json(await call('GET', '/api/v1/automation/rules', admin)).items.length;
    expect(json(await call('GET', '/api/v1/automation/rules', admin)).items).toHaveLength(before);
    const confirmed = await saveRule({ ...crowd, confirmLargeAudience: true });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    // 25 people need no confirmation.
    expect((await saveRule({ ...crowd, actions: [{ type: 'notify', userIds: people.slice(1).map((p) => p.user.id) }] })).statusCode).toBe(
      201,
    );
  });
});
