import { createHash } from 'node:crypto';
import { count, eq, or } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { DEFAULT_PASSWORD_COST, hashPassword, passwordHashCost } from '../adapters/secrets.js';
import { apiTokens, signInFailures, tickets, users } from '../db/schema/index.js';

const PASSWORD = 'correct horse battery staple';
const HOUR = 3_600_000;
const MINUTE = 60_000;

let t: TestApp;
let admin: TestUser;
let ipCounter = 0;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});

afterAll(() => t.close());

/** Each test signs in from its own address, so the per-address limit of one test never touches another. */
function freshIp(): string {
  ipCounter += 1;
  return `10.0.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function signIn(email: string, password: string, ip: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: ip });
}

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'firebreak_session');
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  return `firebreak_session=${cookie.value}`;
}

const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers });

function expectProblem(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = json(res);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  return body as { detail: string; errors?: { field: string; message: string }[] };
}

const ticketCount = async () => (await t.deps.db.select({ n: count() }).from(tickets))[0].n;

describe('signing in with e-mail and password', () => {
  it('sets an httpOnly SameSite session cookie that authenticates GET /me', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const res = await signIn(person.user.email, PASSWORD, freshIp());
    expect(res.statusCode).toBe(200);
    expect(json(res).id).toBe(person.user.id);
    const cookie = res.cookies.find((c) => c.name === 'firebreak_session');
    expect(cookie).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(String(cookie?.sameSite).toLowerCase()).toMatch(/^(lax|strict)$/);
    expect(cookie?.path).toBe('/');
    expect(cookie?.expires).toBeInstanceOf(Date);
    expect(cookie?.value.length).toBeGreaterThanOrEqual(32);

    const who = await me({ cookie: sessionCookie(res) });
    expect(who.statusCode).toBe(200);
    expect(json(who)).toMatchObject({ id: person.user.id, email: person.user.email, role: 'agent' });
    // Nothing of the password travels (mustChangePassword is a flag, not the password).
    expect(JSON.stringify(json(who))).not.toMatch(/hash|scrypt/i);
    expect(json(who).mustChangePassword).toBe(false);
  });

  it('accepts the e-mail address in any letter case', async () => {
    const person = await t.user('requester', { password: PASSWORD });
    const res = await signIn(person.user.email.toUpperCase(), PASSWORD, freshIp());
    expect(res.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown e-mail with the same human 401', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const wrong = expectProblem(await signIn(person.user.email, 'not the password at all', freshIp()), 401);
    const unknown = expectProblem(await signIn('nobody-here@example.test', PASSWORD, freshIp()), 401);
    expect(wrong.detail).toBe(unknown.detail);
    expect(wrong.detail).toMatch(/e-mail address or password/i);
    expect(wrong.detail).not.toMatch(/deactivated|no such|unknown|exist/i);
  });

  it('refuses a deactivated user, and ends the sessions of a user who gets deactivated', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const first = await signIn(person.user.email, PASSWORD, freshIp());
    const cookie = sessionCookie(first);
    expect((await me({ cookie })).statusCode).toBe(200);

    const deactivate = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${person.user.id}`,
      headers: admin.headers,
      payload: { active: false },
    });
    expect(deactivate.statusCode).toBe(200);
    expect(json(deactivate).active).toBe(false);

    expectProblem(await me({ cookie }), 401);
    const again = expectProblem(await signIn(person.user.email, PASSWORD, freshIp()), 401);
    expect(again.detail).toMatch(/deactivated/i);
    // Their API token stops working too.
    expectProblem(await me(person.headers), 401);
  });

  it('ends a session after 12 hours', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const cookie = sessionCookie(await signIn(person.user.email, PASSWORD, freshIp()));
    t.clock.advance(11 * HOUR);
    expect((await me({ cookie })).statusCode).toBe(200);
    t.clock.advance(HOUR + MINUTE);
    const expired = expectProblem(await me({ cookie }), 401);
    expect(expired.detail).toMatch(/sign in/i);
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const cookie = sessionCookie(await signIn(person.user.email, PASSWORD, freshIp()));
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'firebreak_session');
    expect(cleared?.value ?? '').toBe('');
    // The old cookie, replayed, is dead on the server side too.
    expectProblem(await me({ cookie }), 401);
  });
});

describe('sign-in rate limiting', () => {
  it('slows guessing after 5 wrong passwords with 429 and Retry-After, and accepts the right password once the short wait has passed', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const email = person.user.email;
    // Failures count per address whatever the letter case, and from several client addresses.
    const spellings = [email, email.toUpperCase(), email, email.toUpperCase(), email];
    for (const spelling of spellings) {
      expectProblem(await signIn(spelling, 'guess guess guess', freshIp()), 401);
    }
    const limited = await signIn(email, PASSWORD, freshIp());
    const problem = expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBe(30);
    expect(problem.detail).toMatch(/too many wrong passwords.*30 seconds/i);
    expect(problem.detail).toMatch(/admin can reset it/i);
    expect(limited.cookies.find((c) => c.name === 'firebreak_session')).toBeUndefined();

    t.clock.advance(30_000);
    const ok = await signIn(email, PASSWORD, freshIp());
    expect(ok.statusCode).toBe(200);
    expect((await me({ cookie: sessionCookie(ok) })).statusCode).toBe(200);
  });

  it('makes each further wrong password wait twice as long, capped at 15 minutes, and never locks the owner out', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const email = person.user.email;
    for (let i = 0; i < 5; i++) await signIn(email, 'wrong wrong wrong', freshIp());
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = await signIn(email, 'wrong wrong wrong', freshIp());
      expect(refused.statusCode).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      t.clock.advance(wait * 1000);
      expect((await signIn(email, 'wrong wrong wrong', freshIp())).statusCode).toBe(401);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    t.clock.advance(15 * MINUTE);
    expect((await signIn(email, PASSWORD, freshIp())).statusCode).toBe(200);
    // A success forgets the failures: the next typo is free again.
    expect((await signIn(email, 'wrong wrong wrong', freshIp())).statusCode).toBe(401);
  });

  it('verifies at most 5 of 50 concurrent guesses for one account (the attempt is claimed before the password is checked)', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const guesses = Array.from({ length: 50 }, (_, i) => signIn(person.user.email, i === 49 ? PASSWORD : `wrong guess ${i}`, freshIp()));
    const statuses = (await Promise.all(guesses)).map((r) => r.statusCode);
    const verified = statuses.filter((s) => s !== 429);
    expect(verified.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(45);
    // The right password, sent after the wait, still gets in.
    t.clock.advance(15 * MINUTE);
    expect((await signIn(person.user.email, PASSWORD, freshIp())).statusCode).toBe(200);
  });

  it('slows down an address after 30 failures instead of shutting everyone behind it out', async () => {
    const ip = freshIp();
    const colleague = await t.user('requester', { password: PASSWORD });
    for (let i = 0; i < 30; i++) expectProblem(await signIn(`sprayed${i}@example.test`, 'password1234', ip), 401);
    const slowed = await signIn(colleague.user.email, PASSWORD, ip);
    expect(expectProblem(slowed, 429).detail).toMatch(/from your network.*30 seconds/);
    t.clock.advance(30_000);
    expect((await signIn(colleague.user.email, PASSWORD, ip)).statusCode).toBe(200);
    t.clock.advance(15 * MINUTE);
  });

  it('forgets failures after a day, so the record of them does not grow without end', async () => {
    const ip = freshIp();
    const email = `forgetful-${ip}@example.test`;
    const rows = async () =>
      (
        await t.deps.db
          .select({ n: count() })
          .from(signInFailures)
          .where(or(eq(signInFailures.email, email), eq(signInFailures.ip, ip)))
      )[0].n;
    for (let i = 0; i < 3; i++) await signIn(email, 'wrong wrong wrong', ip);
    expect(await rows()).toBe(3);
    t.clock.advance(25 * HOUR);
    expect((await signIn(email, 'wrong wrong wrong', ip)).statusCode).toBe(401);
    expect(await rows()).toBe(1);
  });

  it('does not slow down other people while one account is limited', async () => {
    const victim = await t.user('agent', { password: PASSWORD });
    const bystander = await t.user('agent', { password: PASSWORD });
    for (let i = 0; i < 5; i++) await signIn(victim.user.email, 'wrong wrong wrong', freshIp());
    expect((await signIn(victim.user.email, PASSWORD, freshIp())).statusCode).toBe(429);
    expect((await signIn(bystander.user.email, PASSWORD, freshIp())).statusCode).toBe(200);
    t.clock.advance(15 * MINUTE);
  });
});

describe('client addresses behind a reverse proxy', () => {
  it('takes the address the trusted proxy saw, so rotating X-Forwarded-For does not escape the per-address limit', async () => {
    const proxied = await createTestApp({ trustProxy: 1 });
    try {
      const attempt = (forwardedFor: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email: `nobody-${forwardedFor}@example.test`, password: 'password1234' },
          remoteAddress: '10.9.9.9',
          headers: { 'x-forwarded-for': `${forwardedFor}, 203.0.113.7` },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await attempt(`198.51.100.${i + 1}`)).statusCode);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses[30]).toBe(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('API tokens', () => {
  it('shows a new token once; listings never contain the secret or its hash', async () => {
    const agent = await t.user('agent');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: agent.headers,
      payload: { name: 'monitoring' },
    });
    expect(created.statusCode).toBe(201);
    const secret: string = json(created).token;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(json(created).prefix).toBe(secret.slice(0, json(created).prefix.length));
    const hash = createHash('sha256').update(secret).digest('hex');

    for (const who of [agent.headers, admin.headers]) {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: who });
      expect(list.statusCode).toBe(200);
      const entry = json(list).items.find((i: { id: string }) => i.id === json(created).id);
      expect(entry).toBeDefined();
      expect(entry).not.toHaveProperty('token');
      expect(entry).not.toHaveProperty('tokenHash');
      expect(list.body).not.toContain(secret);
      expect(list.body).not.toContain(hash);
    }
    expect(json(await me({ authorization: `Bearer ${secret}` })).id).toBe(agent.user.id);
  });

  it('refuses a revoked token with 401 saying it may be revoked or expired', async () => {
    const agent = await t.user('agent');
    const created = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: agent.headers, payload: { name: 'ci' } }),
    );
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await me(bearer)).statusCode).toBe(200);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${created.id}`, headers: agent.headers });
    expect(revoke.statusCode).toBe(200);
    expect(json(revoke).revokedAt).not.toBeNull();
    const refused = expectProblem(await me(bearer), 401);
    expect(refused.detail).toMatch(/revoked|expired/i);
  });

  it('refuses an expired token with 401', async () => {
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
    expect((await me(bearer)).statusCode).toBe(200);
    t.clock.advance(24 * HOUR + MINUTE);
    expect(expectProblem(await me(bearer), 401).detail).toMatch(/revoked|expired/i);
  });

  it('refuses a mistyped token with 401 rather than treating the caller as anonymous', async () => {
    expectProblem(await me({ authorization: 'Bearer fbt_not-a-real-token' }), 401);
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/health', headers: { authorization: 'Bearer nope' } }), 401);
  });

  it('lets a read-only token read but refuses its writes with 403, writing nothing', async () => {
    const agent = await t.user('agent');
    const created = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: agent.headers,
        payload: { name: 'dashboard', scope: 'read' },
      }),
    );
    expect(created.scope).toBe('read');
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer })).statusCode).toBe(200);
    const before = await ticketCount();
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: bearer,
      payload: { title: 'From a read-only token' },
    });
    expect(expectProblem(write, 403).detail).toMatch(/read-only/i);
    expect(await ticketCount()).toBe(before);
  });
});

describe('CSRF protection for cookie sessions', () => {
  let cookie: string;
  const host = 'desk.example.test';

  beforeAll(async () => {
    const person = await t.user('agent', { password: PASSWORD });
    cookie = sessionCookie(await signIn(person.user.email, PASSWORD, freshIp()));
  });

  const post = (headers: Record<string, string>, title: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { cookie, host, ...headers }, payload: { title } });

  it('refuses a cookie-authenticated write from another origin, and changes nothing', async () => {
    const before = await ticketCount();
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      { origin: `https://${host}.evil.example` },
    ];
    for (const headers of crossSite) {
      const res = await post(headers, `CSRF ${JSON.stringify(headers)}`);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await ticketCount()).toBe(before);
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=CSRF', headers: admin.headers }));
    expect(list.items).toEqual([]);
  });

  it('accepts the same write from the same origin', async () => {
    const same = await post({ origin: `https://${host}` }, 'Same-origin write');
    expect(same.statusCode).toBe(201);
    const fetchSame = await post({ 'sec-fetch-site': 'same-origin', origin: `https://${host}` }, 'Same-origin fetch');
    expect(fetchSame.statusCode).toBe(201);
    // A non-browser client sends neither header.
    expect((await post({}, 'Plain client')).statusCode).toBe(201);
  });
});

describe('secrets at rest', () => {
  it('stores passwords as scrypt hashes, never the plaintext', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, person.user.id));
    expect(row.passwordHash).not.toBeNull();
    expect(row.passwordHash).not.toBe(PASSWORD);
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(row.passwordHash?.startsWith('scrypt$')).toBe(true);
    // Salted: the same password gives a different hash for another user.
    const twin = await t.user('agent', { password: PASSWORD });
    const [twinRow] = await t.deps.db.select().from(users).where(eq(users.id, twin.user.id));
    expect(twinRow.passwordHash).not.toBe(row.passwordHash);
  });

  it('stores a new password given through the API hashed, and sign-in uses it', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const newPassword = 'a brand new passphrase';
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${person.user.id}`,
      headers: admin.headers,
      payload: { password: newPassword },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(newPassword);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, person.user.id));
    expect(row.passwordHash?.startsWith('scrypt$')).toBe(true);
    expect(row.passwordHash).not.toContain(newPassword);
    expect((await signIn(person.user.email, newPassword, freshIp())).statusCode).toBe(200);
  });

  it('upgrades a hash made at an older, lower cost on the next successful sign-in, and only then', async () => {
    const person = await t.user('agent');
    const legacy = await hashPassword(PASSWORD, { N: 2 ** 8, r: 8, p: 1 });
    await t.deps.db.update(users).set({ passwordHash: legacy }).where(eq(users.id, person.user.id));
    const storedHash = async () => (await t.deps.db.select().from(users).where(eq(users.id, person.user.id)))[0].passwordHash as string;

    expect((await signIn(person.user.email, 'not the password at all', freshIp())).statusCode).toBe(401);
    expect(await storedHash()).toBe(legacy);
    expect((await signIn(person.user.email, PASSWORD, freshIp())).statusCode).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).not.toBe(legacy);
    expect(passwordHashCost(upgraded)).toEqual(t.deps.passwordCost);
    expect((await signIn(person.user.email, PASSWORD, freshIp())).statusCode).toBe(200);
    expect(await storedHash()).toBe(upgraded);
  });

  it('upgrades to the default cost (N=2^17) when the app runs with it', async () => {
    const real = await createTestApp({ passwordCost: DEFAULT_PASSWORD_COST });
    try {
      const person = await real.user('agent');
      const old = await hashPassword(PASSWORD, { N: 2 ** 15, r: 8, p: 1 });
      await real.deps.db.update(users).set({ passwordHash: old }).where(eq(users.id, person.user.id));
      const res = await real.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: person.user.email, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const [row] = await real.deps.db.select().from(users).where(eq(users.id, person.user.id));
      expect(passwordHashCost(row.passwordHash as string)?.N).toBeGreaterThanOrEqual(2 ** 17);
    } finally {
      await real.close();
    }
  });

  it('stores API tokens as their SHA-256, never the secret', async () => {
    const agent = await t.user('agent');
    const created = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: agent.headers, payload: { name: 'hash check' } }),
    );
    const [row] = await t.deps.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row.tokenHash).not.toBe(created.token);
    expect(row.tokenHash).not.toContain(created.token);
    expect(row.tokenHash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row.prefix.length).toBeLessThan(created.token.length / 2);
  });

  it('lets anyone change their own name, time zone and e-mail preference, and nothing else', async () => {
    const me = await t.user('requester');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: me.headers,
      payload: { timeZone: 'America/Chicago', emailNotifications: false },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ timeZone: 'America/Chicago', emailNotifications: false, role: 'requester' });
    const promote = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: me.headers, payload: { role: 'admin' } });
    expect(promote.statusCode).toBe(400);
    expect(json(promote).errors).toContainEqual({ field: 'role', message: 'is not a known field' });
    const zone = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: me.headers, payload: { timeZone: 'Mars/Olympus' } });
    expect(json(zone).errors[0]).toEqual({ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' });
  });
});
