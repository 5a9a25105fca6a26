import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let rita: TestUser;
let sam: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent');
  rita = await t.user('requester', { name: 'Rita' });
  sam = await t.user('requester', { name: 'Sam' });
});
afterAll(() => t.close());

const post = (url: string, who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: who.headers, payload });
const view = (id: string, who: TestUser) => t.app.inject({ method: 'GET', url: `/api/v1/known-issues/${id}`, headers: who.headers });

async function ticket(who: TestUser, scope: 'global' | 'local', title: string) {
  const res = await post('/api/v1/tickets', who, {
    kind: 'incident',
    title,
    description: 'Reported by Sam from desk 12',
    impact: 1,
    urgency: 1,
  });
  expect(res.statusCode).toBe(201);
  const created = json<{ id: string; number: string }>(res);
  // Only the desk declares a problem known to everyone (a requester may not set the scope).
  if (scope === 'global') {
    const declared = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${created.id}/scope`,
      headers: agent.headers,
      payload: { scope, reason: 'The whole building is affected' },
    });
    expect(declared.statusCode, declared.body).toBe(200);
  }
  return created;
}

describe("a follower's read-only view of a known problem", () => {
  it('shows the public updates and the resolution, never work notes or what a requester wrote', async () => {
    const outage = await ticket(sam, 'global', 'Wi-Fi down in building B');
    await t.app.inject({ method: 'PUT', url: `/api/v1/tickets/${outage.id}/follow`, headers: rita.headers });
    await post(`/api/v1/tickets/${outage.id}/comments`, sam, { body: 'My phone number is 555-0100', visibility: 'public' });
    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'Suspect the controller', visibility: 'internal' });
    await post(`/api/v1/tickets/${outage.id}/comments`, agent, { body: 'An engineer is on site.', visibility: 'public' });
    // The ticket itself stays Sam's: Rita cannot open it…
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${outage.id}`, headers: rita.headers })).statusCode).toBe(404);
    // …but she can read what the desk published.
    const open = await view(outage.id, rita);
    expect(open.statusCode, open.body).toBe(200);
    expect(json(open)).toMatchObject({
      id: outage.id,
      number: outage.number,
      title: 'Wi-Fi down in building B',
      state: 'new',
      following: true,
    });
    expect(json(open).updates.map((u: { body: string }) => u.body)).toEqual(['An engineer is on site.']);
    expect(open.body).not.toContain('555-0100');
    expect(open.body).not.toContain('Suspect the controller');
    expect(open.body).not.toContain('desk 12'); // the description is the requester's
    expect(open.body).not.toContain(sam.user.id);

    const resolved = await post(`/api/v1/tickets/${outage.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Controller replaced.',
    });
    expect(resolved.statusCode).toBe(200);
    const after = json(await view(outage.id, rita));
    expect(after).toMatchObject({ state: 'resolved', resolution: { code: 'solved_permanently', notes: 'Controller replaced.' } });
    expect(after.resolvedAt).not.toBeNull();
  });

  it('is refused, like a ticket that does not exist, for a local ticket and for a resolved one the person does not follow', async () => {
    const local = await ticket(sam, 'local', 'My mouse is broken');
    expect((await view(local.id, rita)).statusCode).toBe(404);
    const outage = await ticket(agent, 'global', 'Printers down');
    expect((await view(outage.id, rita)).statusCode).toBe(200); // open: anyone may read a known problem
    await post(`/api/v1/tickets/${outage.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Spooler restarted.',
    });
    expect((await view(outage.id, rita)).statusCode).toBe(404);
    expect((await view('00000000-0000-4000-8000-000000000000', rita)).statusCode).toBe(404);
  });
});
