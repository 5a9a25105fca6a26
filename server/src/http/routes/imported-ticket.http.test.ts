import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { importServiceNow } from '../../services/servicenow-import.service.js';

/** An imported ticket through the API (issue 16): its source attributes and original number shown, and found by it. */
let t: TestApp;
let agent: TestUser;
let requester: TestUser;
let ticketId: string;

const file = [
  'number,incident_state,caller_id,opened_by,opened_at,sys_updated_at,u_symptom,location,made_sla,impact,urgency,priority',
  'INC0000001,Active,Caller <b>1</b>,Opened by 8,2/5/2026 09:00,2/5/2026 10:00,Symptom <script>,Location 143,false,2 - Medium,2 - Medium,3 - Moderate',
].join('\n');

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent');
  requester = await t.user('requester');
  // A ticket made here takes INC0000001 first: the import keeps the original as external reference.
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: agent.headers,
    payload: { kind: 'incident', title: 'Here first', description: '', impact: 3, urgency: 3, scope: 'local' },
  });
  expect(json(made).number).toBe('INC0000001');
  await importServiceNow(t.deps, {
    open: async function* () {
      yield Buffer.from(file);
    },
    dryRun: false,
    dateFormat: 'D/M/YYYY HH:mm',
    timeZone: 'UTC',
    holder: 'test',
  });
  const found = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=INC0000001', headers: agent.headers });
  const imported = json(found).items.find((x: { externalReference: string | null }) => x.externalReference === 'INC0000001');
  ticketId = imported.id;
});
afterAll(() => t.close());

describe('an imported ticket in the API', () => {
  it('shows its source attributes as exported and its original number, and search by that number finds it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({
      externalReference: 'INC0000001',
      state: 'in_progress',
      sourceAttributes: { u_symptom: 'Symptom <script>', location: 'Location 143', made_sla: 'false', incident_state: 'Active' },
    });
    expect(json(res).number).not.toBe('INC0000001');
  });

  it('is not shown to a requester who is not its caller', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: requester.headers });
    expect([403, 404]).toContain(res.statusCode);
  });
});
