import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { saveTicket } from '../../repositories/tickets.repository.js';

let t: TestApp;
let agent: TestUser;
let admin: TestUser;
let rita: TestUser;

/** The checklist without a root-cause item: root causes come with investigations. */
const CHECKLISTS = {
  major_incident: [
    { key: 'resolution_documented', label: 'Resolution documented', check: 'resolution_documented' },
    { key: 'final_update_sent', label: 'Final update sent to stakeholders', check: 'final_update_sent' },
    { key: 'preventive_measure_recorded', label: 'Preventive measure recorded', check: 'preventive_measure_recorded' },
    { key: 'review_scheduled', label: 'Post-incident review scheduled', check: 'review_scheduled' },
    { key: 'customer_called', label: 'Key customers called', check: 'manual' },
  ],
  incident: [],
};

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent', { name: 'Ana Agent' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
  const saved = await t.app.inject({ method: 'PUT', url: '/api/v1/completion-checklists', headers: admin.headers, payload: CHECKLISTS });
  expect(saved.statusCode, saved.body).toBe(200);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

async function resolvedMajorIncident(title: string) {
  const created = await call('POST', '/api/v1/tickets', agent, {
    kind: 'incident',
    title,
    impact: 1,
    urgency: 1,
    requesterId: rita.user.id,
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id } = json<{ id: string }>(created);
  // Declaring is the scope/ownership work's; the checklist only needs the incident to be major.
  await saveTicket(t.deps.db, id, { majorSince: t.clock.now() });
  const resolved = await call('POST', `/api/v1/tickets/${id}/transitions`, agent, {
    to: 'resolved',
    resolutionCode: 'solved_permanently',
    resolutionNotes: 'Renewed the expired certificate on the VPN concentrator.',
  });
  expect(resolved.statusCode, resolved.body).toBe(200);
  return id;
}

const close = (id: string, who: TestUser, extra: Record<string, unknown> = {}) =>
  call('POST', `/api/v1/tickets/${id}/transitions`, who, { to: 'closed', ...extra });

const completion = async (id: string) => json(await call('GET', `/api/v1/tickets/${id}/completion`, agent));

describe('closing a major incident', () => {
  it('is refused with 409 listing what is missing, and nothing changes', async () => {
    const id = await resolvedMajorIncident('VPN down for everyone');
    const before = json(await call('GET', `/api/v1/tickets/${id}`, agent));
    const refused = await close(id, agent);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = json(refused);
    expect(problem.detail).toContain('Final update sent to stakeholders');
    expect(problem.missing.map((m: { label: string }) => m.label)).toEqual([
      'Final update sent to stakeholders',
      'Preventive measure recorded',
      'Post-incident review scheduled',
      'Key customers called',
    ]);
    const after = json(await call('GET', `/api/v1/tickets/${id}`, agent));
    expect(after).toMatchObject({ state: 'resolved', version: before.version });
  });

  it('closes once every item is done: final update, preventive measure, review date, a manual tick', async () => {
    const id = await resolvedMajorIncident('Payroll cannot reach the bank');
    await call('PUT', `/api/v1/tickets/${id}/follow`, rita);

    const update = await call('POST', `/api/v1/tickets/${id}/final-update`, agent, {
      body: 'Payments are flowing again; the bank link was restored at 10:40.',
    });
    expect(update.statusCode, update.body).toBe(200);
    expect(json(update).finalUpdateAt).toBe(t.clock.now().toISOString());
    // The final update is public: the requester hears it like any update from the desk.
    const timeline = json(await call('GET', `/api/v1/tickets/${id}/timeline`, rita)).items;
    expect(timeline.some((e: { type: string; body: string }) => e.type === 'comment' && e.body.startsWith('Payments are flowing'))).toBe(
      true,
    );

    const measure = await call('POST', `/api/v1/tickets/${id}/preventive-measures`, agent, {
      description: 'Monitor the bank certificate and renew 30 days ahead',
    });
    expect(json(measure).preventiveMeasures).toEqual([
      expect.objectContaining({ description: 'Monitor the bank certificate and renew 30 days ahead', actorId: agent.user.id }),
    ]);
    const review = await call('PUT', `/api/v1/tickets/${id}/review`, agent, {
      at: new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString(),
    });
    expect(review.statusCode, review.body).toBe(200);

    expect(json(await close(id, agent)).missing.map((m: { key: string }) => m.key)).toEqual(['customer_called']);
    const ticked = await call('PUT', `/api/v1/tickets/${id}/completion/items/customer_called`, agent, { ticked: true });
    expect(ticked.statusCode, ticked.body).toBe(200);
    expect(json(ticked)).toMatchObject({ complete: true });

    const closed = await close(id, agent);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(json(closed).state).toBe('closed');
  });

  it('lets an admin close it anyway with a reason, recorded on the timeline; an agent cannot', async () => {
    const id = await resolvedMajorIncident('Printers offline in Leeds');
    const byAgent = await close(id, agent, { checklistOverrideReason: 'Nobody needs a review for this' });
    expect(byAgent.statusCode).toBe(409);
    expect(json(byAgent).detail).toContain('Only an admin may close it anyway');

    const byAdmin = await close(id, admin, { checklistOverrideReason: 'Duplicate of an incident reviewed yesterday' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    const timeline = json(await call('GET', `/api/v1/tickets/${id}/timeline`, agent)).items;
    const closing = timeline.find(
      (e: { type: string; data: { action?: string } }) => e.type === 'state_changed' && e.data?.action === 'close',
    );
    expect(closing.body).toContain('Duplicate of an incident reviewed yesterday');
    expect(closing.data.checklistOverride.skipped).toContain('Post-incident review scheduled');
  });

  it('leaves other incidents alone: they close on the requester’s confirmation as before', async () => {
    const created = await call('POST', '/api/v1/tickets', rita, { kind: 'incident', title: 'My mouse is broken' });
    const { id } = json<{ id: string }>(created);
    await call('POST', `/api/v1/tickets/${id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'New mouse',
    });
    expect((await close(id, rita)).statusCode).toBe(200);
    expect(await completion(id)).toMatchObject({ checklist: 'incident', items: [], complete: true });
  });
});

describe('recording what completes an incident', () => {
  it('refuses a review in the past, an unknown or automatic item, and blank text, naming the field', async () => {
    const id = await resolvedMajorIncident('Mail delayed');
    const past = await call('PUT', `/api/v1/tickets/${id}/review`, agent, { at: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(422);
    expect(json(past).errors).toEqual([{ field: 'at', message: 'the review must be scheduled in the future' }]);
    const unknown = await call('PUT', `/api/v1/tickets/${id}/completion/items/nothing_like_it`, agent, { ticked: true });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).errors[0].field).toBe('key');
    const automatic = await call('PUT', `/api/v1/tickets/${id}/completion/items/review_scheduled`, agent, { ticked: true });
    expect(automatic.statusCode).toBe(422);
    expect(json(automatic).detail).toContain('checked by Firebreak');
    const blank = await call('POST', `/api/v1/tickets/${id}/preventive-measures`, agent, { description: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(json(blank).errors[0].field).toBe('description');
    expect(await completion(id)).toMatchObject({ preventiveMeasures: [], reviewScheduledFor: null });
  });

  it('refuses a checklist with a repeated key, naming the item; the saved one stays', async () => {
    const bad = await call('PUT', '/api/v1/completion-checklists', admin, {
      major_incident: [
        { key: 'called', label: 'Called', check: 'manual' },
        { key: 'called', label: 'Called again', check: 'manual' },
      ],
      incident: [],
    });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors).toEqual([{ field: 'major_incident.1.key', message: '"called" is already an item of this checklist' }]);
    expect(json(await call('GET', '/api/v1/completion-checklists', agent))).toEqual(CHECKLISTS);
  });

  it('is staff work: a requester can neither read the checklist nor record on it; only admins change the checklists', async () => {
    const id = await resolvedMajorIncident('Wi-Fi down on floor 3');
    expect((await call('GET', `/api/v1/tickets/${id}/completion`, rita)).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/tickets/${id}/final-update`, rita, { body: 'All good' })).statusCode).toBe(403);
    expect((await call('PUT', '/api/v1/completion-checklists', agent, CHECKLISTS)).statusCode).toBe(403);
  });
});
