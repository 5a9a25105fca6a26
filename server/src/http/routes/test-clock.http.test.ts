import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

const advance = (t: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/test-clock/advance', headers, payload: body as object });

describe('the test clock is not there unless the server was started with it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 404 even to an admin, and time stays where it was', async () => {
    const admin = await t.user('admin');
    const before = t.clock.now().getTime();
    const res = await advance(t, { minutes: 30 }, admin.headers);
    expect(res.statusCode).toBe(404);
    expect(t.clock.now().getTime()).toBe(before);
  });
});

describe('moving the test clock (FIREBREAK_TEST_CLOCK=on)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ testClock: true });
    admin = await t.user('admin');
  });
  afterAll(() => t.close());

  it('moves the server’s time forward for an admin and answers the new time', async () => {
    const before = t.clock.now().getTime();
    const res = await advance(t, { minutes: 31 }, admin.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(t.clock.now().getTime()).toBe(before + 31 * 60_000);
    expect(json(res).now).toBe(t.clock.now().toISOString());
    // The whole server reads the moved clock: health says the new time.
    const health = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(json(health).time).toBe(t.clock.now().toISOString());
  });

  it('refuses everyone but admins, without moving time', async () => {
    const before = t.clock.now().getTime();
    expect((await advance(t, { minutes: 30 })).statusCode).toBe(401);
    for (const role of ['requester', 'agent', 'manager'] as const) {
      const someone = await t.user(role);
      const res = await advance(t, { minutes: 30 }, someone.headers);
      expect(res.statusCode, role).toBe(403);
    }
    expect(t.clock.now().getTime()).toBe(before);
  });

  it('refuses a move that is not whole minutes forward, up to a week, naming the field', async () => {
    const before = t.clock.now().getTime();
    for (const [body, message] of [
      [{ minutes: 0 }, 'must be at least 1 (the clock only moves forward)'],
      [{ minutes: -30 }, 'must be at least 1 (the clock only moves forward)'],
      [{ minutes: 1.5 }, 'must be whole minutes'],
      [{ minutes: '30' }, 'must be a number of minutes'],
      [{ minutes: 7 * 24 * 60 + 1 }, 'must be at most 10,080 (a week)'],
    ] as const) {
      const res = await advance(t, body, admin.headers);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors).toEqual([expect.objectContaining({ field: 'minutes', message })]);
    }
    const unknown = await advance(t, { minutes: 5, hours: 1 }, admin.headers);
    expect(unknown.statusCode).toBe(400);
    expect(t.clock.now().getTime()).toBe(before);
  });
});
