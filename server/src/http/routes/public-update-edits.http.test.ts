import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { jobs, notifications } from '../../db/schema/index.js';

/**
 * Correcting a public update already sent (issue 15): the status page, its JSON, the feeds and the
 * portal show the corrected words marked "edited"; the desk's timeline keeps who changed what,
 * when; subscribers hear of it again only when the editor asks; two editors do not overwrite each
 * other; bad input is refused naming the field and changes nothing; only the desk may correct.
 */

let t: TestApp;
let admin: TestUser;
let cora: TestUser;
let dan: TestUser;
let rita: TestUser;
let vpnId: string;

type Method = 'GET' | 'POST' | 'PUT';
const call = (method: Method, url: string, who?: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload ? { payload } : {}) });

async function ok(method: Method, url: string, who: TestUser, payload?: Record<string, unknown>, status = 200) {
  const res = await call(method, url, who, payload);
  expect(res.statusCode, res.body).toBe(status);
  return json(res);
}

async function incidentWithUpdate(title: string, text: string, scope: 'local' | 'global' = 'local') {
  const made = await ok(
    'POST',
    '/api/v1/tickets',
    cora,
    { kind: 'incident', title, impact: 1, urgency: 1, serviceId: vpnId, requesterId: rita.user.id, scope },
    201,
  );
  // A global P1 is major from the start; a local one is declared.
  if (!made.majorSince) await ok('POST', `/api/v1/tickets/${made.id}/declare-major`, cora, { reason: 'Every office has lost the VPN' });
  const sent = await ok(
    'POST',
    `/api/v1/tickets/${made.id}/stakeholder-updates`,
    cora,
    { stage: 'investigating', text, audienceIds: ['public'] },
    201,
  );
  return { id: made.id as string, number: made.number as string, updateId: sent.publicUpdateId as number };
}

const fanOutsOf = async (eventId: number) =>
  (
    await t.deps.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.kind, 'status.fan_out'), sql`(${jobs.payload}->>'eventId')::bigint = ${eventId}`))
  ).length;

const shownUpdates = async (title: string) => {
  const summary = json(await call('GET', '/status/api/v2/summary.json'));
  return summary.incidents.find((i: { name: string }) => i.name === title).incident_updates as {
    id: string;
    body: string;
    created_at: string;
    updated_at: string;
  }[];
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  cora = await t.user('agent', { name: 'Cora Comms' });
  dan = await t.user('agent', { name: 'Dan Desk' });
  rita = await t.user('requester', { name: 'Rita Requester' });
  vpnId = (await ok('POST', '/api/v1/services', admin, { name: 'VPN', onStatusPage: true }, 201)).id;
});
afterAll(() => t.close());

describe('correcting a sent public update', () => {
  it('shows the corrected words marked edited everywhere, keeps the earlier words on the desk timeline, and does not mail subscribers again', async () => {
    const incident = await incidentWithUpdate('VPN down in Lyon', 'The VPN is donw in Lyon.');
    const sentAt = t.clock.now().toISOString();
    const mailsToRita = async () =>
      (await t.deps.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.userId, rita.user.id))).length;
    const ritaBefore = await mailsToRita();
    t.clock.advance(5 * 60_000);
    const edited = await ok('PUT', `/api/v1/tickets/${incident.id}/public-updates/${incident.updateId}`, dan, {
      text: 'The VPN is down in Lyon <script>alert(1)</script>.',
      revision: 1,
    });
    const editedAt = t.clock.now().toISOString();
    expect(edited).toMatchObject({
      id: incident.updateId,
      revision: 2,
      editedAt,
      text: 'The VPN is down in Lyon <script>alert(1)</script>.',
    });
    expect(edited.history).toEqual([
      {
        at: editedAt,
        actorId: dan.user.id,
        actorName: 'Dan Desk',
        from: 'The VPN is donw in Lyon.',
        to: 'The VPN is down in Lyon <script>alert(1)</script>.',
        notified: false,
      },
    ]);

    // The Statuspage JSON: the corrected body, created when first sent, updated when corrected.
    expect(await shownUpdates('VPN down in Lyon')).toEqual([
      expect.objectContaining({
        id: String(incident.updateId),
        body: 'The VPN is down in Lyon <script>alert(1)</script>.',
        created_at: sentAt,
        updated_at: editedAt,
      }),
    ]);

    // The page: the new words as text, marked edited with the time; the typo gone.
    const page = (await call('GET', `/status/incidents/${incident.id}`)).body;
    expect(page).toContain('The VPN is down in Lyon &lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain(`edited <time datetime="${editedAt}">`);
    expect(page).not.toContain('donw');

    // The feeds: the corrected entry, titled edited, changed when corrected.
    const atom = (await call('GET', '/status/feed.atom')).body;
    expect(atom).toContain('VPN down in Lyon: investigating (edited)');
    expect(atom).not.toContain('donw');
    expect(atom).toContain(`<updated>${editedAt}</updated>`);

    // The portal: the requester reads the corrected words, marked edited, never the desk's record.
    const portal = json(await call('GET', `/api/v1/tickets/${incident.id}/timeline`, rita)).items as {
      type: string;
      body: string;
      data: Record<string, unknown> | null;
    }[];
    const comment = portal.find((e) => e.type === 'comment');
    expect(comment).toMatchObject({
      body: 'The VPN is down in Lyon <script>alert(1)</script>.',
      data: expect.objectContaining({ editedAt }),
    });
    expect(portal.some((e) => e.type === 'public_update_edited')).toBe(false);
    expect(JSON.stringify(portal)).not.toContain('donw');

    // The desk: who changed what, when.
    const desk = json(await call('GET', `/api/v1/tickets/${incident.id}/timeline`, cora)).items as {
      type: string;
      actor: { name: string } | null;
      at: string;
      changes: { field: string; from: unknown; to: unknown }[] | null;
    }[];
    expect(desk.find((e) => e.type === 'public_update_edited')).toMatchObject({
      actor: expect.objectContaining({ name: 'Dan Desk' }),
      at: editedAt,
      changes: [{ field: 'text', from: 'The VPN is donw in Lyon.', to: 'The VPN is down in Lyon <script>alert(1)</script>.' }],
    });
    const composer = await ok('GET', `/api/v1/tickets/${incident.id}/update-composer`, cora);
    expect(composer.updates[0]).toMatchObject({ publicUpdateId: incident.updateId, revision: 2, editedAt, text: edited.text });

    // A typo fix is not news: subscribers were told of the update once, and of the correction not at all.
    expect(await fanOutsOf(incident.updateId)).toBe(1);
    const editEvent = desk.find((e) => e.type === 'public_update_edited') as unknown as { id: number };
    expect(await fanOutsOf(editEvent.id)).toBe(0);
    // Nor is the requester notified again of a correction.
    expect(await mailsToRita()).toBe(ritaBefore);
  });

  it('tells subscribers again when the editor ticks "notify subscribers"', async () => {
    const incident = await incidentWithUpdate('VPN down in Oslo', 'Back by noon.', 'global');
    const edited = await ok('PUT', `/api/v1/tickets/${incident.id}/public-updates/${incident.updateId}`, cora, {
      text: 'Back by 15:00, not noon.',
      revision: 1,
      notifySubscribers: true,
    });
    expect(edited.history[0].notified).toBe(true);
    // The portal's known issues read the corrected words too, marked edited.
    const known = json(await call('GET', '/api/v1/known-issues', rita)).items.find((i: { id: string }) => i.id === incident.id);
    expect(known.latestUpdate).toMatchObject({ body: 'Back by 15:00, not noon.', editedAt: edited.editedAt });
    const view = json(await call('GET', `/api/v1/known-issues/${incident.id}`, rita));
    expect(view.updates).toEqual([expect.objectContaining({ body: 'Back by 15:00, not noon.', editedAt: edited.editedAt })]);
    const desk = json(await call('GET', `/api/v1/tickets/${incident.id}/timeline`, cora)).items as { id: number; type: string }[];
    const editEvent = desk.find((e) => e.type === 'public_update_edited');
    expect(editEvent).toBeDefined();
    expect(await fanOutsOf(editEvent?.id ?? 0)).toBe(1);
  });

  it('refuses a correction based on an older revision with 412 naming who corrected it since, changing nothing', async () => {
    const incident = await incidentWithUpdate('VPN down in Rome', 'Fist words.');
    const url = `/api/v1/tickets/${incident.id}/public-updates/${incident.updateId}`;
    await ok('PUT', url, dan, { text: 'First words.', revision: 1 });
    const stale = await call('PUT', url, cora, { text: 'First wordz.', revision: 1 });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(json(stale).detail).toContain('corrected by Dan Desk');
    expect((await shownUpdates('VPN down in Rome')).map((u) => u.body)).toEqual(['First words.']);
    // Read again, the correction goes through.
    expect((await ok('PUT', url, cora, { text: 'The first words.', revision: 2 })).revision).toBe(3);
  });

  it('refuses empty text, an unknown update and an update of another incident, naming the field, changing nothing', async () => {
    const incident = await incidentWithUpdate('VPN down in Kyiv', 'Investigating.');
    const other = await incidentWithUpdate('VPN down in Riga', 'Also investigating.');
    const url = `/api/v1/tickets/${incident.id}/public-updates/${incident.updateId}`;

    const empty = await call('PUT', url, cora, { text: '   ', revision: 1 });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(json(empty).errors[0].field).toBe('text');

    const unknown = await call('PUT', `/api/v1/tickets/${incident.id}/public-updates/999999999`, cora, { text: 'x', revision: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).errors[0]).toMatchObject({ field: 'updateId', message: expect.stringContaining('999999999') });

    const elsewhere = await call('PUT', `/api/v1/tickets/${incident.id}/public-updates/${other.updateId}`, cora, {
      text: 'x',
      revision: 1,
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(json(elsewhere).errors[0]).toMatchObject({
      field: 'updateId',
      message: expect.stringContaining(`not an update of ${incident.number}`),
    });

    const notAnId = await call('PUT', `/api/v1/tickets/${incident.id}/public-updates/abc`, cora, { text: 'x', revision: 1 });
    expect(notAnId.statusCode).toBe(400);
    expect(json(notAnId).errors[0].field).toBe('updateId');

    expect((await shownUpdates('VPN down in Kyiv')).map((u) => u.body)).toEqual(['Investigating.']);
    expect((await shownUpdates('VPN down in Riga')).map((u) => u.body)).toEqual(['Also investigating.']);
  });
});

describe('who may correct', () => {
  it('lets the desk correct, never a requester or someone signed out', async () => {
    const incident = await incidentWithUpdate('VPN down in Paris', 'Investigating.');
    const url = `/api/v1/tickets/${incident.id}/public-updates/${incident.updateId}`;
    expect((await call('PUT', url, rita, { text: 'Hacked', revision: 1 })).statusCode).toBe(403);
    expect((await call('PUT', url, undefined, { text: 'Hacked', revision: 1 })).statusCode).toBe(401);
    expect((await shownUpdates('VPN down in Paris')).map((u) => u.body)).toEqual(['Investigating.']);
  });
});
