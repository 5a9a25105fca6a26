import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { smtpMailer } from '../../adapters/mailer.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

let t: TestApp;
let sink: SmtpSink;
let mailer: ReturnType<typeof smtpMailer>;
let admin: TestUser;
let manager: TestUser;
let desk: TestUser;
let onCall: TestUser;
let backup: TestUser;
let requester: TestUser;
let teamId: string;
let policyId: string;

const PUBLIC_URL = 'https://firebreak.example.test';

beforeAll(async () => {
  t = await createTestApp();
  sink = await startSmtpSink();
  mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'Firebreak <pager@firebreak.test>');
  admin = await t.user('admin');
  manager = await t.user('manager');
  desk = await t.user('agent');
  onCall = await t.user('agent', { name: 'On Call' });
  backup = await t.user('agent', { name: 'Backup' });
  requester = await t.user('requester');
  teamId = json(
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: admin.headers,
      payload: { name: 'Platform', memberIds: [desk.user.id] },
    }),
  ).id;
  const schedule = json(
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedules',
      headers: manager.headers,
      payload: {
        name: 'Platform primary',
        timeZone: 'UTC',
        layers: [
          { name: 'Week', rotation: { kind: 'weekly' }, handoffTime: '08:00', startDate: '2026-02-23', participants: [onCall.user.id] },
        ],
      },
    }),
  );
  const policy = await t.app.inject({
    method: 'POST',
    url: '/api/v1/escalation-policies',
    headers: manager.headers,
    payload: {
      name: 'Platform P1',
      levels: [
        { targets: [{ type: 'schedule', id: schedule.id }], timeoutMinutes: 5 },
        { targets: [{ type: 'user', id: backup.user.id }], timeoutMinutes: 5 },
      ],
      repeat: 0,
      teamIds: [teamId],
    },
  });
  expect(policy.statusCode).toBe(201);
  policyId = json(policy).id;
  expect(json(policy).teamIds).toEqual([teamId]);
});
afterAll(async () => {
  mailer.close();
  await sink.stop();
  await t.close();
});

const sweep = () =>
  runDueJobs(
    t.deps,
    buildJobRegistry({ mail: { ...NO_DELIVERY.mail, mailer, messageIdDomain: 'firebreak.test', publicUrl: PUBLIC_URL } }),
    WORKER_OPTIONS,
  );

async function p1(title: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: desk.headers,
    payload: { title, impact: 1, urgency: 1, teamId },
  });
  expect(res.statusCode).toBe(201);
  return json(res).id as string;
}
const pagesOf = async (ticketId: string) =>
  json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/pages`, headers: desk.headers })).items;

function ackPathFrom(text: string): string {
  const match = /Acknowledge this page: (\S+)/.exec(text);
  if (!match) throw new Error(`no acknowledge link in:\n${text}`);
  const url = new URL(match[1]);
  expect(url.origin).toBe(PUBLIC_URL);
  return `${url.pathname}${url.search}`;
}

describe('the acknowledge link in a page e-mail', () => {
  it('mails the on-call engineer a link whose GET only asks, and whose POST acknowledges and stops escalation', async () => {
    const ticketId = await p1('Payments API returns 502');
    await sweep();
    const mail = sink.messages.find((m) => m.subject?.includes('Payments API returns 502'));
    expect(mail?.subject).toMatch(/^\[INC\d+\] You are paged: Payments API returns 502$/);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe(onCall.user.email);
    expect(mail?.html).toContain('Acknowledge this page');
    const path = ackPathFrom(mail?.text ?? '');

    // A mail scanner following the link changes nothing.
    for (let i = 0; i < 2; i++) {
      const look = await t.app.inject({ method: 'GET', url: path });
      expect(look.statusCode).toBe(200);
      expect(look.headers['content-type']).toContain('text/html');
      expect(look.body).toContain('<form method="post" action="/api/v1/pages/acknowledge">');
      expect(look.body).toContain('Payments API returns 502');
      // The form's POST must carry a real Origin: under no-referrer Chromium sends "null", which
      // the CSRF check refuses for a signed-in person.
      expect(look.headers['referrer-policy']).toBe('same-origin');
    }
    expect((await pagesOf(ticketId))[0].state).toBe('triggered');

    // The person presses the button: a same-origin form POST with the token.
    const token = new URL(`http://x${path}`).searchParams.get('token') as string;
    const press = await t.app.inject({
      method: 'POST',
      url: '/api/v1/pages/acknowledge',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
        host: 'localhost:3000',
        'sec-fetch-site': 'same-origin',
      },
      payload: new URLSearchParams({ token }).toString(),
    });
    expect(press.statusCode).toBe(200);
    expect(press.body).toContain('Escalation has stopped');
    expect(press.body).toContain('The ticket is now assigned to you.');
    const [page] = await pagesOf(ticketId);
    expect(page).toMatchObject({ state: 'acknowledged', acknowledgedById: onCall.user.id, acknowledgedByName: 'On Call' });
    // The link's acknowledgement takes the unassigned ticket too.
    const ticket = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: desk.headers }));
    expect(ticket.assignee).toMatchObject({ id: onCall.user.id });
    // The mail's other link opens the acknowledge-first view of this page.
    expect(mail?.text).toContain(`${PUBLIC_URL}/desk/pages/${page.id}`);

    // The level timeout passes: nobody else is paged.
    t.clock.advance(30 * 60_000);
    await sweep();
    expect(sink.messages.filter((m) => m.subject?.includes('Payments API returns 502'))).toHaveLength(1);
    const timeline = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline`, headers: desk.headers })).items;
    expect(timeline.map((e: { type: string }) => e.type).filter((type: string) => type.startsWith('page_'))).toEqual([
      'page_triggered',
      'page_notified',
      'page_acknowledged',
    ]);
  });

  it('refuses a tampered or expired link, and escalates to the next level when nobody acknowledges', async () => {
    sink.messages.length = 0;
    const ticketId = await p1('Login page blank');
    await sweep();
    const path = ackPathFrom(sink.messages[0].text ?? '');
    const token = new URL(`http://x${path}`).searchParams.get('token') as string;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/pages/acknowledge', payload: { token: tampered } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('token');

    t.clock.advance(5 * 60_000);
    await sweep(); // level 2: the backup is paged
    await sweep(); // and mailed
    expect(sink.messages.map((m) => (m.to && 'text' in m.to ? m.to.text : ''))).toEqual([onCall.user.email, backup.user.email]);
    const [page] = await pagesOf(ticketId);
    expect(page.level).toBe(1);
    expect(page.recipients.map((r: { userId: string }) => r.userId)).toEqual([onCall.user.id, backup.user.id]);

    t.clock.advance(25 * 60 * 60_000); // the first mail's link has expired
    const expired = await t.app.inject({ method: 'GET', url: path });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('not valid or has expired');
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/pages/acknowledge', payload: { token } });
    expect(late.statusCode).toBe(400);
    expect((await pagesOf(ticketId))[0].state).toBe('triggered');
    await sweep(); // the last level's timeout: nobody acknowledged
    expect((await pagesOf(ticketId))[0].state).toBe('exhausted');
  });
});

describe('paging from monitoring', () => {
  it('stops paging when the monitoring tool sends an acknowledge (PagerDuty Events v2), and says so on the timeline', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: admin.headers,
      payload: { name: 'Datadog', source: 'pagerduty', rules: [{ action: 'incident', teamId, impact: 1, urgency: 1 }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token } = json(created);
    const send = (event_action: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/integrations/pagerduty/v2/enqueue',
        payload: {
          routing_key: token,
          event_action,
          dedup_key: 'db/replication-lag',
          ...(event_action === 'trigger'
            ? { payload: { summary: 'Replication lag above 5 minutes', source: 'db-2', severity: 'critical' } }
            : {}),
        },
      });
    expect((await send('trigger')).statusCode).toBe(202);
    const [incident] = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=Replication%20lag', headers: desk.headers }))
      .items as { id: string; priority: number }[];
    expect(incident.priority).toBe(1);
    const [page] = await pagesOf(incident.id);
    expect(page.state).toBe('triggered');

    expect((await send('acknowledge')).statusCode).toBe(202);
    const [after] = await pagesOf(incident.id);
    expect(after.state).toBe('acknowledged');
    const events = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${incident.id}/timeline?limit=100`, headers: desk.headers }),
    ).items as { type: string; body: string | null }[];
    expect(events.find((e) => e.type === 'page_acknowledged')?.body).toBe('Acknowledged in Datadog: paging stopped.');
    // The escalation timer finds the page acknowledged: nobody further is paged.
    t.clock.advance(6 * 60_000);
    await sweep();
    expect((await pagesOf(incident.id))[0].state).toBe('acknowledged');
    // A second acknowledge changes nothing more.
    expect((await send('acknowledge')).statusCode).toBe(202);
    const again = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${incident.id}/timeline?limit=100`, headers: desk.headers }),
    ).items as { type: string }[];
    expect(again.filter((e) => e.type === 'page_acknowledged')).toHaveLength(1);
  });
});

describe('paging through the API', () => {
  it('lets an agent page with a message, the paged person acknowledge, and no one else', async () => {
    const ticket = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: desk.headers, payload: { title: 'Slow builds', teamId } }),
    );
    expect(await pagesOf(ticket.id)).toEqual([]); // not a P1: no automatic page
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/pages`, headers: desk.headers, payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).errors[0].field).toBe('message');
    const paged = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/pages`,
      headers: desk.headers,
      payload: { message: 'Builds take 40 minutes', escalationPolicyId: policyId },
    });
    expect(paged.statusCode).toBe(201);
    const page = json(paged);
    expect(page.recipients.map((r: { userId: string }) => r.userId)).toEqual([onCall.user.id]);
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/pages/${page.id}/acknowledge`, headers: desk.headers });
    expect(refused.statusCode).toBe(403);
    const ack = await t.app.inject({ method: 'POST', url: `/api/v1/pages/${page.id}/acknowledge`, headers: onCall.headers });
    expect(ack.statusCode).toBe(200);
    expect(json(ack).state).toBe('acknowledged');
    // Requesters can neither page nor see pages.
    const asRequester = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/pages`, headers: requester.headers });
    expect(asRequester.statusCode).toBe(403);
  });

  it('refuses a policy with a target that does not exist, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/escalation-policies',
      headers: manager.headers,
      payload: {
        name: 'Broken',
        levels: [{ targets: [{ type: 'schedule', id: '00000000-0000-4000-8000-000000000000' }], timeoutMinutes: 5 }],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0].field).toBe('levels.0.targets');
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/escalation-policies',
      headers: manager.headers,
      payload: { name: 'Empty', levels: [{ targets: [], timeoutMinutes: 5 }] },
    });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).errors[0].field).toBe('levels.0.targets');
  });
});

describe('in-app notifications', () => {
  it('lists the paged person’s notifications newest first with an unread count, pages them, and marks them read', async () => {
    const first = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications?limit=2', headers: onCall.headers }));
    expect(first.items.length).toBe(2);
    expect(first.unread).toBeGreaterThanOrEqual(3);
    expect(first.items[0].text).toMatch(/^INC\d+ · You are paged: /);
    expect(Date.parse(first.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(first.items[1].createdAt));
    const second = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/me/notifications?limit=2&cursor=${first.nextCursor}`, headers: onCall.headers }),
    );
    expect(second.items.map((n: { id: string }) => n.id)).not.toContain(first.items[0].id);

    // Someone else cannot mark them read.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/notifications/read',
      headers: backup.headers,
      payload: { ids: [first.items[0].id] },
    });
    expect(json(other).marked).toBe(0);
    const one = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/notifications/read',
      headers: onCall.headers,
      payload: { ids: [first.items[0].id] },
    });
    expect(json(one)).toEqual({ marked: 1, unread: first.unread - 1 });
    const all = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/me/notifications/read', headers: onCall.headers, payload: { all: true } }),
    );
    expect(all.unread).toBe(0);
    const after = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: onCall.headers }));
    expect(after.items.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
  });

  it('follows the person’s channel choices per group (PATCH /me), e-mail master switch included', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: onCall.headers,
      payload: { notificationPreferences: { paging: { email: false } } },
    });
    expect(patch.statusCode).toBe(200);
    expect(json(patch).notificationPreferences).toEqual({ paging: { email: false } });
    // Merged, not replaced.
    const again = json(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: onCall.headers,
        payload: { notificationPreferences: { sla: { in_app: false } } },
      }),
    );
    expect(again.notificationPreferences).toEqual({ paging: { email: false }, sla: { in_app: false } });
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: onCall.headers,
      payload: { notificationPreferences: { gossip: { email: true } } },
    });
    expect(unknown.statusCode).toBe(400);

    const ticketId = await p1('Storage array degraded');
    const log = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/notifications`, headers: desk.headers })).items;
    expect(log.filter((d: { userId: string }) => d.userId === onCall.user.id)).toEqual([]); // no e-mail
    const bell = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: onCall.headers }));
    expect(bell.items[0].ticketId).toBe(ticketId); // but in-app, yes
    expect(bell.unread).toBe(1);
  });
});

describe('the acknowledge-first view', () => {
  it('shows what is paged, since when and whom each step reached, by name; the bell offers the page while it runs', async () => {
    const ticketId = await p1('Checkout times out');
    const [listed] = await pagesOf(ticketId);
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/pages/${listed.id}`, headers: onCall.headers });
    expect(view.statusCode, view.body).toBe(200);
    const body = json(view);
    expect(body.ticket).toMatchObject({ id: ticketId, title: 'Checkout times out', priority: 1, assigneeId: null, teamName: 'Platform' });
    expect(body.ticket.number).toMatch(/^INC\d+$/);
    expect(body.page).toMatchObject({ state: 'triggered', policyName: 'Platform P1', triggeredByName: null });
    expect(body.page.steps).toEqual([{ level: 0, round: 0, people: [{ userId: onCall.user.id, name: 'On Call' }] }]);
    expect(body.page.recipients[0]).toMatchObject({ userId: onCall.user.id, name: 'On Call' });

    const bell = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: onCall.headers }));
    const item = bell.items.find((n: { ticketId: string }) => n.ticketId === ticketId);
    expect(item.page).toEqual({ id: listed.id, state: 'triggered' });

    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/pages/00000000-0000-4000-8000-000000000000',
      headers: onCall.headers,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/pages/${listed.id}`, headers: requester.headers })).statusCode).toBe(403);

    // One tap: acknowledged, and the unassigned ticket is the acknowledger's.
    const ack = await t.app.inject({ method: 'POST', url: `/api/v1/pages/${listed.id}/acknowledge`, headers: onCall.headers });
    expect(ack.statusCode).toBe(200);
    expect(json(ack)).toMatchObject({ state: 'acknowledged', assignment: { outcome: 'assigned' }, acknowledgedByName: 'On Call' });
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/pages/${listed.id}`, headers: onCall.headers }));
    expect(after.ticket).toMatchObject({ assigneeId: onCall.user.id, assigneeName: 'On Call', state: 'assigned' });
    const bellAfter = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: onCall.headers }));
    expect(bellAfter.items.find((n: { ticketId: string }) => n.ticketId === ticketId).page.state).toBe('acknowledged');
  });

  it('leaves an assigned ticket with its assignee and says who has it', async () => {
    const ticketId = await p1('Search index stale');
    const assign = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: desk.headers,
      payload: { assigneeId: desk.user.id },
    });
    expect(assign.statusCode, assign.body).toBe(200);
    const [page] = await pagesOf(ticketId);
    const ack = json(await t.app.inject({ method: 'POST', url: `/api/v1/pages/${page.id}/acknowledge`, headers: onCall.headers }));
    expect(ack.assignment).toEqual({ outcome: 'already_assigned', assigneeName: desk.user.name });
    const ticket = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: desk.headers }));
    expect(ticket.assignee).toMatchObject({ id: desk.user.id });
  });
});
