import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent', { email: 'zoe.agent@firebreak.test', name: 'Zoe Agent' });
  await t.user('manager', { email: 'zack.manager@firebreak.test', name: 'Zack Manager' });
  // More requesters than a page holds, all sorting before the staff: a picker of the first page
  // of everyone would offer no one to assign.
  for (let i = 0; i < 12; i++) await t.user('requester', { email: `a${String(i).padStart(2, '0')}@example.test`, name: `Asker ${i}` });
});
afterAll(() => t.close());

const list = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/users?${query}`, headers: agent.headers });
  expect(res.statusCode).toBe(200);
  return json<{ items: { email: string; role: string }[]; nextCursor: string | null }>(res);
};

describe('listing people for pickers', () => {
  it('staff=true lists only the people who work tickets, whatever the number of requesters', async () => {
    const everyone = await list('active=true&limit=10');
    expect(everyone.items.every((u) => u.role === 'requester')).toBe(true); // the first page is all requesters
    const staff = await list('active=true&staff=true&limit=10');
    expect(staff.items.map((u) => u.email)).toEqual(expect.arrayContaining(['zoe.agent@firebreak.test', 'zack.manager@firebreak.test']));
    expect(staff.items.some((u) => u.role === 'requester')).toBe(false);
    const requesters = await list('staff=false&limit=100');
    expect(requesters.items.length).toBeGreaterThanOrEqual(12);
    expect(requesters.items.every((u) => u.role === 'requester')).toBe(true);
  });

  it('staff=true leaves out integration accounts: a monitoring tool is not a person to put in a team or assign', async () => {
    const admin = await t.user('admin', { email: 'ada.admin@firebreak.test', name: 'Ada Admin' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: admin.headers,
      payload: { name: 'Prometheus', source: 'generic' },
    });
    expect(created.statusCode).toBe(201);
    const staff = await list('active=true&staff=true&limit=100');
    expect(staff.items.map((u) => u.email)).toContain('zoe.agent@firebreak.test');
    expect(staff.items.filter((u) => u.email.endsWith('@integrations.firebreak.invalid'))).toEqual([]);
  });

  it('refuses a staff value that is not true or false, naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/users?staff=yes', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(json(res))).toContain('staff');
  });
});
