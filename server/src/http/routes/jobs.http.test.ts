import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { jobs } from '../../db/schema/index.js';

/** Puts jobs straight into a state, as the worker leaves them (the runner is tested on its own). */
async function jobsIn(t: TestApp, state: 'dead' | 'held', kind: string, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(t.clock.now().getTime() + i * 1000);
    const id = `${prefix}:${i}`;
    await t.database.db.insert(jobs).values({
      id,
      kind,
      payload: {},
      state,
      runAt: at,
      attempts: 1,
      createdAt: at,
      finishedAt: at,
      lastError: state === 'held' ? 'not sent: e-mail out was off' : 'receiver answered 500',
    });
    ids.push(id);
  }
  return ids;
}

describe('Failed work, a page at a time, without the mails e-mail out off kept', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.user('admin');
  });
  afterAll(() => t.close());

  it('pages through failed work oldest first with a cursor, and lists no mail kept while e-mail out is off', async () => {
    const dead = await jobsIn(t, 'dead', 'sla.check', 7, 'sla-check');
    await jobsIn(t, 'held', 'notification.deliver', 4, 'notification.deliver');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({
        method: 'GET',
        url: `/api/v1/jobs/dead?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: { id: string }[]; nextCursor: string | null } = json(res);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(dead);
  });

  it('refuses a cursor it did not give out, naming it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs/dead?cursor=bm9wZQ', headers: admin.headers });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  });

  it('counts the kept mails, says e-mail out is off, and refuses to send them while it is', async () => {
    const count = await t.app.inject({ method: 'GET', url: '/api/v1/jobs/unsent-mail', headers: admin.headers });
    expect(json(count)).toEqual({ count: 4, emailOut: false });
    const send = await t.app.inject({ method: 'POST', url: '/api/v1/jobs/unsent-mail/send', headers: admin.headers });
    expect(send.statusCode).toBe(422);
    expect(json(send).detail).toBe('E-mail out is off: set FIREBREAK_SMTP_URL and restart Firebreak, then send these mails.');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/jobs/unsent-mail', headers: admin.headers })).count).toBe(4);
  });

  it('tells anyone signed in that e-mail out is off, so the portal promises no mail', async () => {
    const requester = await t.user('requester');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/features', headers: requester.headers });
    expect(json(res)).toEqual({ emailOut: false });
  });
});

describe('with e-mail out on', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ smtpUrl: 'smtp://127.0.0.1:2525' });
    admin = await t.user('admin');
  });
  afterAll(() => t.close());

  it('sends the mails kept while it was off once, on the admin asking', async () => {
    await jobsIn(t, 'held', 'notification.deliver', 2, 'notification.deliver');
    await jobsIn(t, 'held', 'notification.digest', 1, 'notification.digest');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/features', headers: admin.headers }))).toEqual({ emailOut: true });
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/jobs/unsent-mail', headers: admin.headers }))).toEqual({
      count: 3,
      emailOut: true,
    });
    const send = await t.app.inject({ method: 'POST', url: '/api/v1/jobs/unsent-mail/send', headers: admin.headers });
    expect(send.statusCode, send.body).toBe(200);
    expect(json(send)).toEqual({ queued: 3 });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/jobs/unsent-mail/send', headers: admin.headers });
    expect(json(again)).toEqual({ queued: 0 });
  });
});
