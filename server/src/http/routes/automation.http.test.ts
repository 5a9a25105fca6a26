import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createSlaPolicyViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { insertAutomationRule } from '../../repositories/automation.repository.js';

let t: TestApp;
let admin: TestUser;
let manager: TestUser;
let ann: TestUser;
let lead: TestUser;
let rita: TestUser;
let payroll: { id: string };
let payslips: { id: string };
let payrollTeam: { id: string };
let onIt: { id: string };

const post = (who: TestUser | null, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: who?.headers ?? {}, payload });
const rules = (who: TestUser | null, payload: object) => post(who, '/api/v1/automation/rules', payload);
const timeline = async (ticketId: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline`, headers: admin.headers })).items as {
    type: string;
    body: string | null;
    actor: { name: string } | null;
    data: Record<string, unknown> | null;
  }[];
const ticket = async (id: string) => json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: admin.headers }));
const report = async (payload: object) => json(await post(rita, '/api/v1/tickets', payload));

const payrollRule = () => ({
  name: 'Payroll first',
  trigger: { on: 'created' },
  conditions: [
    { op: 'in', field: 'service', values: [payroll.id] },
    { op: 'contains', text: 'payslip' },
  ],
  actions: [
    { type: 'assign', teamId: payrollTeam.id },
    { type: 'add_followers', userIds: [lead.user.id] },
    { type: 'reply', cannedReplyId: onIt.id },
    { type: 'notify', userIds: [lead.user.id] },
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  manager = await t.user('manager');
  ann = await t.user('agent', { name: 'Ann Agent' });
  lead = await t.user('agent', { name: 'Lee Lead' });
  rita = await t.user('requester', { name: 'Rita Requester' });
  payroll = json(await post(admin, '/api/v1/services', { name: 'Payroll' }));
  payslips = json(await post(admin, '/api/v1/services', { name: 'Payslips', parentId: payroll.id }));
  payrollTeam = json(await post(admin, '/api/v1/teams', { name: 'Payroll team', memberIds: [ann.user.id, lead.user.id] }));
  onIt = json(
    await post(manager, '/api/v1/canned-replies', {
      name: 'We are on it',
      body: 'Hello {requester_name}, we are on {ticket_number}.',
      visibility: 'public',
      scope: 'shared',
    }),
  );
});
afterAll(() => t.close());

describe('automation rules: who may', () => {
  it('lets admins only use every route: 401 without signing in, 403 for a manager, an agent and a requester', async () => {
    const created = json(await rules(admin, payrollRule()));
    const routes: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object }[] = [
      { method: 'GET', url: '/api/v1/automation/rules' },
      { method: 'POST', url: '/api/v1/automation/rules', payload: payrollRule() },
      { method: 'GET', url: `/api/v1/automation/rules/${created.id}` },
      { method: 'PUT', url: `/api/v1/automation/rules/${created.id}`, payload: payrollRule() },
      { method: 'DELETE', url: `/api/v1/automation/rules/${created.id}` },
      { method: 'POST', url: '/api/v1/automation/rules/order', payload: { ids: [created.id] } },
      { method: 'POST', url: '/api/v1/automation/rules/dry-run', payload: { ruleId: created.id } },
    ];
    for (const route of routes) {
      const anonymous = await t.app.inject({ ...route });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      for (const who of [manager, ann, rita]) {
        const res = await t.app.inject({ ...route, headers: who.headers });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      }
    }
    // Nothing was changed by the refused calls.
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/automation/rules', headers: admin.headers })).items).toHaveLength(1);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${created.id}`, headers: admin.headers })).statusCode,
    ).toBe(204);
  });
});

describe('automation rules: bad input', () => {
  it('refuses a runaway pattern, a missing team and a personal reply, naming each field (a crowd to notify: automation-actions.http.test.ts)', async () => {
    const mine = json(await post(ann, '/api/v1/canned-replies', { name: 'Mine', body: 'Hi', visibility: 'public', scope: 'personal' }));
    const res = await rules(admin, {
      ...payrollRule(),
      conditions: [{ op: 'matches', pattern: '(a+)+$' }],
      actions: [
        { type: 'assign', teamId: '00000000-0000-4000-8000-000000000000' },
        { type: 'reply', cannedReplyId: mine.id },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors.map((e: { field: string }) => e.field)).toEqual([
      'conditions.0.pattern',
      'actions.0.teamId',
      'actions.1.cannedReplyId',
    ]);
    expect(json(res).errors[0].message).toMatch(/too long/);

    const noField = await rules(admin, { ...payrollRule(), trigger: { on: 'field_changed' } });
    expect(noField.statusCode).toBe(400);
    expect(json(noField).errors[0].field).toMatch(/trigger\.field/);
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/automation/rules', headers: admin.headers })).items).toEqual([]);
  });
});

describe('automation rules: dry run, then on', () => {
  it('shows which tickets would match and what would change, writing nothing; enabled, it routes and replies', async () => {
    const matching = await report({ title: 'Payslip missing', description: 'March', serviceId: payslips.id });
    const other = await report({ title: 'Payslip missing', description: 'but on VPN' });
    const draft = payrollRule();
    const dry = await post(admin, '/api/v1/automation/rules/dry-run', { rule: draft, last: 10 });
    expect(dry.statusCode).toBe(200);
    const result = json(dry);
    expect(result).toMatchObject({ examined: 2, matched: 1 });
    expect(result.items[0].ticket.number).toBe(matching.number);
    expect(result.items[0].changes).toEqual([{ field: 'teamId', label: 'Team', from: null, to: 'Payroll team' }]);
    expect(result.items[0].replies[0].body).toBe(`Hello Rita Requester, we are on ${matching.number}.`);
    expect(result.items[0].followers).toEqual(['Lee Lead']);
    expect(result.items[0].notified).toEqual(['Lee Lead']);
    // A period: opened in it (none after now); a period that ends before it starts is refused, naming `to`.
    const later = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expect(json(await post(admin, '/api/v1/automation/rules/dry-run', { rule: draft, from: later }))).toMatchObject({
      examined: 0,
      matched: 0,
    });
    const backwards = await post(admin, '/api/v1/automation/rules/dry-run', { rule: draft, from: later, to: '2026-01-01T00:00:00Z' });
    expect(backwards.statusCode).toBe(400);
    expect(json(backwards).errors[0].field).toBe('to');
    // Nothing written: no rule saved, the tickets as they were.
    expect((await ticket(matching.id)).version).toBe(matching.version);
    expect((await timeline(matching.id)).map((e) => e.type)).toEqual(['created']);
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/automation/rules', headers: admin.headers })).items).toEqual([]);

    const saved = json(await rules(admin, { ...draft, enabled: true }));
    const routed = await report({ title: 'Payslip wrong', description: 'tax code', serviceId: payslips.id });
    const now = await ticket(routed.id);
    expect(now.team?.name).toBe('Payroll team');
    expect(now.state).toBe('new');
    const events = await timeline(routed.id);
    const reply = events.find((e) => e.type === 'comment');
    expect(reply?.body).toBe(`Hello Rita Requester, we are on ${routed.number}.`);
    expect(reply?.data?.automation).toEqual({ ruleId: saved.id, ruleName: 'Payroll first' });
    const ran = events.find((e) => e.type === 'automation_ran');
    expect(ran?.body).toBe('assigned team Payroll team; replied with “We are on it”; added followers Lee Lead; notified Lee Lead.');
    // The person the rule names hears of it (in the bell; e-mail as their preferences say).
    const bell = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: lead.headers })).items;
    expect(bell.filter((n: { ticketId: string }) => n.ticketId === routed.id).map((n: { reason: string }) => n.reason)).toEqual([
      'automation_notice',
    ]);
    // It ran once: the rule's own change did not set it off again.
    expect(events.filter((e) => e.type === 'automation_ran')).toHaveLength(1);
    // The requester sees the desk's reply in the portal.
    const mine = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${routed.id}/timeline`, headers: rita.headers })).items;
    expect(mine.map((e: { type: string }) => e.type)).toContain('comment');
    // A ticket it does not match is left alone.
    const vpn = await report({ title: 'VPN down' });
    expect((await timeline(vpn.id)).map((e) => e.type)).toEqual(['created']);
    expect((await ticket(other.id)).team).toBeNull();
    await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${saved.id}`, headers: admin.headers });
  });
});

describe('automation rules: loops, order and what is gone', () => {
  it('stops a chain at its depth with the reason on the timeline, and stop-after-match ends the list', async () => {
    const urgencyRule = (name: string, urgency: number, stop = false) => ({
      name,
      enabled: true,
      stopAfterMatch: stop,
      trigger: { on: 'updated' },
      conditions: [{ op: 'contains', text: 'chain' }],
      actions: [{ type: 'set_fields', urgency }],
    });
    const ids = [
      json(await rules(admin, { ...urgencyRule('Start', 3), trigger: { on: 'created' } })).id,
      json(await rules(admin, urgencyRule('Second', 2))).id,
      json(await rules(admin, urgencyRule('Third', 1))).id,
      json(await rules(admin, urgencyRule('Fourth', 3))).id,
    ];
    const chained = await report({ title: 'A chain of rules' });
    const ran = (await timeline(chained.id)).filter((e) => e.type === 'automation_ran');
    const stopped = ran.find((e) => Array.isArray(e.data?.stoppedRuleIds));
    expect(stopped?.body).toMatch(/Not run: “Fourth” — a chain of 3 rules stops here/);
    // Start (on the report); Second, Third and Fourth on Start's change; and so on, down to the depth.
    expect(ran.filter((e) => e.data?.depth === 1).map((e) => e.data?.ruleName)).toEqual(['Start']);
    expect(ran.filter((e) => e.data?.depth === 2).map((e) => e.data?.ruleName)).toEqual(['Second', 'Third', 'Fourth']);
    expect(Math.max(...ran.map((e) => Number(e.data?.depth ?? 0)))).toBe(3);

    // "Second" now stops the list: on an update only it runs (and the chain below it).
    const second = json(await t.app.inject({ method: 'GET', url: `/api/v1/automation/rules/${ids[1]}`, headers: admin.headers }));
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/automation/rules/${ids[1]}`,
      headers: { ...admin.headers, 'if-match': `"${second.version}"` },
      payload: urgencyRule('Second', 2, true),
    });
    const reordered = await post(admin, '/api/v1/automation/rules/order', { ids: [ids[1], ids[0], ids[2], ids[3]] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(json(reordered).items.map((r: { name: string }) => r.name)).toEqual(['Second', 'Start', 'Third', 'Fourth']);
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${chained.id}`,
      headers: admin.headers,
      payload: { description: 'chain again' },
    });
    expect(edited.statusCode).toBe(200);
    const after = (await timeline(chained.id)).filter((e) => e.type === 'automation_ran').slice(ran.length);
    // On the person's change only "Second" ran (it stops the list); the rules after it ran on its change.
    expect(after.filter((e) => e.data?.depth === 1).map((e) => e.data?.ruleName)).toEqual(['Second']);
    expect(after.filter((e) => e.data?.depth === 2).map((e) => e.data?.ruleName)).toEqual(['Third', 'Fourth']);
    for (const id of ids) await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${id}`, headers: admin.headers });
  });

  it('rolls back a firing the ticket refuses, alone: the change that set it off stands, with a note saying why', async () => {
    const network = json(await post(admin, '/api/v1/teams', { name: 'Network team' }));
    const rule = json(
      await rules(admin, {
        name: 'Resolved to Network',
        enabled: true,
        trigger: { on: 'resolved' },
        conditions: [{ op: 'contains', text: 'router' }],
        actions: [
          { type: 'assign', teamId: network.id },
          { type: 'reply', cannedReplyId: onIt.id },
        ],
      }),
    );
    const reported = await report({ title: 'Router reboots' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${reported.id}`,
      headers: admin.headers,
      payload: { assigneeId: ann.user.id },
    });
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${reported.id}/transitions`,
      headers: ann.headers,
      payload: { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Firmware updated' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    // A resolved ticket moved to a team its assignee is not in would have no owner: refused, so
    // neither the team nor the reply is there; the resolution is.
    const now = await ticket(reported.id);
    expect(now).toMatchObject({ state: 'resolved', team: null });
    const events = await timeline(reported.id);
    expect(events.filter((e) => e.type === 'comment')).toEqual([]);
    expect(events.find((e) => e.type === 'automation_ran')?.body).toMatch(/^“Resolved to Network” could not run: .*owner/);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${rule.id}`, headers: admin.headers });
  });

  it('leaves a closing change alone: no rule runs on a closed ticket, so no "could not run" note lands on it', async () => {
    const rule = json(
      await rules(admin, {
        name: 'Toner is urgent',
        enabled: true,
        trigger: { on: 'updated' },
        conditions: [{ op: 'contains', text: 'toner' }],
        actions: [{ type: 'set_fields', urgency: 1 }],
      }),
    );
    const reported = await report({ title: 'Toner empty' });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${reported.id}`,
      headers: admin.headers,
      payload: { assigneeId: ann.user.id },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const move = (to: string, extra: object = {}) =>
      t.app.inject({ method: 'POST', url: `/api/v1/tickets/${reported.id}/transitions`, headers: ann.headers, payload: { to, ...extra } });
    expect((await move('resolved', { resolutionCode: 'solved_permanently', resolutionNotes: 'New cartridge' })).statusCode).toBe(200);
    const before = (await timeline(reported.id)).filter((e) => e.type === 'automation_ran');
    // The rule ran on the assignment (and on the resolution), so it does match this ticket's updates.
    expect(before.length).toBeGreaterThan(0);
    const closed = await move('closed');
    expect(closed.statusCode, closed.body).toBe(200);
    const after = (await timeline(reported.id)).filter((e) => e.type === 'automation_ran');
    expect(after.map((e) => e.body)).toEqual(before.map((e) => e.body));
    await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${rule.id}`, headers: admin.headers });
  });

  it('runs a rule on an SLA breach the timer records, as a durable job would find it', async () => {
    await createSlaPolicyViaApi(t, admin, { name: 'P2 first response', match: { priorities: [2] }, firstResponseMinutes: 30 });
    const rule = json(
      await rules(admin, {
        name: 'Breached P2 to Payroll',
        enabled: true,
        trigger: { on: 'sla_breached' },
        conditions: [{ op: 'in', field: 'priority', values: [2] }],
        actions: [
          { type: 'assign', teamId: payrollTeam.id },
          { type: 'notify', userIds: [lead.user.id] },
        ],
      }),
    );
    const late = json(await post(ann, '/api/v1/tickets', { title: 'Payroll export slow', impact: 1, urgency: 2 }));
    expect(late.priority).toBe(2);
    expect((await ticket(late.id)).team).toBeNull();
    t.clock.advance(31 * 60_000);
    await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    const events = await timeline(late.id);
    expect(events.map((e) => e.type)).toContain('sla_breached');
    expect(events.find((e) => e.type === 'automation_ran')?.data).toMatchObject({ ruleName: 'Breached P2 to Payroll' });
    expect((await ticket(late.id)).team?.name).toBe('Payroll team');
    await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${rule.id}`, headers: admin.headers });
  });

  it('switches off a rule whose assignee was deactivated, saying why, and the ticket is still reported', async () => {
    const temp = await t.user('agent', { name: 'Tess Temp' });
    const rule = json(
      await rules(admin, {
        name: 'Give it to Tess',
        enabled: true,
        trigger: { on: 'created' },
        conditions: [{ op: 'contains', text: 'tess' }],
        actions: [{ type: 'assign', assigneeId: temp.user.id }],
      }),
    );
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${temp.user.id}`,
      headers: admin.headers,
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    const res = await post(rita, '/api/v1/tickets', { title: 'For Tess' });
    expect(res.statusCode).toBe(201);
    const reported = json(res);
    expect((await ticket(reported.id)).assignee).toBeNull();
    const note = (await timeline(reported.id)).find((e) => e.type === 'automation_ran');
    expect(note?.body).toMatch(
      /“Give it to Tess” did not run and was switched off by Firebreak: actions\.0\.assigneeId is not an active agent/,
    );
    const now = json(await t.app.inject({ method: 'GET', url: `/api/v1/automation/rules/${rule.id}`, headers: admin.headers }));
    expect(now).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/not an active agent/) });
  });
  it('switches off a rule saved with a pattern now refused, saying why, instead of letting it silently never match', async () => {
    // Saved before the stricter check (as an upgraded desk has it): written straight to the table.
    const at = t.clock.now();
    const old = await insertAutomationRule(t.deps.db, {
      name: 'Old pattern',
      enabled: true,
      trigger: { on: 'created' },
      conditions: [{ op: 'matches', pattern: '(a|aa)*$' }],
      actions: [{ type: 'assign', teamId: payrollTeam.id }],
      createdAt: at,
      updatedAt: at,
    });
    t.configCache.changed('automation_rules');
    const res = await post(rita, '/api/v1/tickets', { title: 'aaaa' });
    expect(res.statusCode).toBe(201);
    expect((await ticket(json(res).id)).team).toBeNull();
    const now = json(await t.app.inject({ method: 'GET', url: `/api/v1/automation/rules/${old.id}`, headers: admin.headers }));
    expect(now).toMatchObject({
      enabled: false,
      disabledReason:
        'switched off by Firebreak: the pattern “(a|aa)*$” could take too long on some texts (alternatives under a repetition, such as (a|aa)*); repeat a character class instead, such as [ab]+',
    });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/automation/rules/${old.id}`, headers: admin.headers });
  });
});
