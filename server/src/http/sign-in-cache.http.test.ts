import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countStatements, type StatementLog } from '../../test/statement-counter.js';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { apiTokens, sessions, users } from '../db/schema/index.js';

/**
 * Each process keeps what an API token or a session cookie signs in (the token or session and its
 * person), so a busy integration's calls and a browser's requests do not read them every time;
 * whatever changes the answer reaches every process as an announcement (migration 0083) — also a
 * change made by another process or straight in the database, which these tests make with SQL the
 * app's services never see.
 */
let t: TestApp;
let log: StatementLog;
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  log = countStatements(t.database);
});
afterAll(() => t.close());

const me = (headers: { authorization: string } | { cookie: string }) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
const tokenReads = () => log.statements.filter((s) => /from "api_tokens"/.test(s));
/** Signed in and kept: the first use records itself (so the token is read once more), the second is kept. */
async function keep(headers: { authorization: string } | { cookie: string }): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await me(headers)).statusCode).toBe(200);
}
/** Waits for the announcement to arrive (never a fixed sleep): until the answer has the status. */
const untilStatus = (headers: { authorization: string } | { cookie: string }, status: number) =>
  vi.waitFor(async () => expect((await me(headers)).statusCode).toBe(status), { timeout: 10_000, interval: 20 });

describe('a request with an API token', () => {
  it('reads the token once, then signs in from what the process kept', async () => {
    const agent = await t.user('agent');
    await keep(agent.headers);
    log.reset();
    for (let i = 0; i < 3; i++) expect(json(await me(agent.headers)).id).toBe(agent.user.id);
    expect(tokenReads()).toEqual([]);
  });

  it('is refused once a token revoked in the database is announced', async () => {
    const agent = await t.user('agent');
    await keep(agent.headers);
    await t.deps.db.update(apiTokens).set({ revokedAt: t.clock.now() }).where(eq(apiTokens.userId, agent.user.id));
    await untilStatus(agent.headers, 401);
  });

  it('is refused once a deactivation made elsewhere is announced, and carries a new role', async () => {
    const leaving = await t.user('agent');
    const demoted = await t.user('agent');
    const queue = (headers: { authorization: string }) => t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers });
    await keep(leaving.headers);
    await keep(demoted.headers);
    expect((await queue(demoted.headers)).statusCode).toBe(200);
    await t.deps.db.update(users).set({ active: false }).where(eq(users.id, leaving.user.id));
    await t.deps.db.update(users).set({ role: 'requester' }).where(eq(users.id, demoted.user.id));
    await untilStatus(leaving.headers, 401);
    await vi.waitFor(async () => expect(json(await me(demoted.headers)).role).toBe('requester'), { timeout: 10_000, interval: 20 });
    // A requester's list is their own tickets only: the agent's queue is gone with the role.
    expect(json(await queue(demoted.headers)).items).toEqual([]);
  });

  it('is refused once a kept token has expired, without the database saying so', async () => {
    const agent = await t.user('agent');
    const created = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: agent.headers,
        payload: { name: 'short', expiresInDays: 1 },
      }),
    );
    const bearer = { authorization: `Bearer ${created.token}` };
    await keep(bearer);
    t.clock.advance(24 * 60 * MINUTE + MINUTE);
    log.reset();
    expect((await me(bearer)).statusCode).toBe(401);
    expect(tokenReads()).toEqual([]);
  });

  it('records its last use at most once a minute, also while kept', async () => {
    const agent = await t.user('agent');
    expect((await me(agent.headers)).statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    log.reset();
    for (let i = 0; i < 4; i++) expect((await me(agent.headers)).statusCode).toBe(200);
    expect(log.statements.filter((s) => /^update "api_tokens"/.test(s))).toHaveLength(1);
    const [row] = await t.deps.db.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.userId, agent.user.id));
    expect(row.lastUsedAt?.getTime()).toBe(t.clock.now().getTime());
  });

  it('a token whose last use was recorded still announces nothing', async () => {
    const heard: string[] = [];
    const stop = t.configCache.watch((table) => heard.push(table));
    try {
      await t.deps.db.execute(sql`UPDATE api_tokens SET last_used_at = now()`);
      const agent = await t.user('agent');
      // A change that is announced, after the one that must not be: once it is heard, the first would have been too.
      await t.deps.db.update(users).set({ name: 'Renamed' }).where(eq(users.id, agent.user.id));
      await vi.waitFor(() => expect(heard).toContain('users'), { timeout: 10_000, interval: 20 });
      expect(heard).not.toContain('api_tokens');
    } finally {
      stop();
    }
  });
});

describe('a request with a session cookie', () => {
  const PASSWORD = 'a long enough password 1';
  async function signedIn(): Promise<{ cookie: string }> {
    const person = await t.user('agent', { password: PASSWORD });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: person.user.email, password: PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'firebreak_session');
    if (!cookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
    return { cookie: `firebreak_session=${cookie.value}` };
  }
  const sessionReads = () => log.statements.filter((s) => /from "sessions"/.test(s));

  it('reads the session once, then signs in from what the process kept', async () => {
    const browser = await signedIn();
    expect((await me(browser)).statusCode).toBe(200);
    log.reset();
    for (let i = 0; i < 3; i++) expect((await me(browser)).statusCode).toBe(200);
    expect(sessionReads()).toEqual([]);
  });

  it('is refused at once after signing out here, and once announced after a session ended elsewhere', async () => {
    const here = await signedIn();
    const elsewhere = await signedIn();
    await keep(here);
    await keep(elsewhere);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: here });
    expect(out.statusCode).toBeLessThan(300);
    expect((await me(here)).statusCode).toBe(401);
    // Another process ended it (a back-channel logout, a password changed there): only the announcement tells this one.
    const hash = createHash('sha256').update(elsewhere.cookie.slice('firebreak_session='.length)).digest('hex');
    await t.deps.db.delete(sessions).where(eq(sessions.tokenHash, hash));
    await untilStatus(elsewhere, 401);
  });

  it('is refused once a kept session has expired, without the database saying so', async () => {
    const browser = await signedIn();
    await keep(browser);
    t.clock.advance(13 * 60 * MINUTE);
    log.reset();
    expect((await me(browser)).statusCode).toBe(401);
    expect(sessionReads()).toEqual([]);
  });
});
