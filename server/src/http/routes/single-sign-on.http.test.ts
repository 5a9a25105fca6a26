import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SINGLE_SIGN_ON_FAILURES } from '../../../../core/single-sign-on.js';
import { ID_TOKEN_SECONDS, startTestProvider, type TestProvider } from '../../../test/openid-provider.js';
import { createTestApp, json, type TestApp } from '../../../test/test-app.js';
import { DISCOVERY_CACHE_SECONDS } from '../../adapters/openid-provider.js';
import { readConfig } from '../../config.js';
import { signInIdentities, users } from '../../db/schema/index.js';

/**
 * Single sign-on against a real OpenID provider (oidc-provider) listening on loopback: Firebreak
 * is driven through inject(), the person's browser at the provider by the provider helper, and
 * Firebreak's client talks to the provider over real HTTP (discovery, token, userinfo, JWKS).
 */
const BASE = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';
const BREAK_GLASS = 'break-glass@example.com';
const HTML = { accept: 'text/html,application/xhtml+xml' };

let provider: TestProvider;

function ssoEnv(issuer: string, extra: Record<string, string> = {}) {
  return readConfig({
    FIREBREAK_PUBLIC_URL: BASE,
    FIREBREAK_OIDC_ISSUER: issuer,
    FIREBREAK_OIDC_CLIENT_ID: 'firebreak',
    FIREBREAK_OIDC_CLIENT_SECRET: 'a-long-client-secret-for-tests-only',
    FIREBREAK_OIDC_NAME: 'Example SSO',
    FIREBREAK_OIDC_SCOPES: 'openid email profile groups',
    FIREBREAK_OIDC_ALLOWED_DOMAINS: 'example.com',
    FIREBREAK_OIDC_ROLE_CLAIM: 'groups',
    FIREBREAK_OIDC_ROLE_MAP: 'service-desk=agent,leads=manager,firebreak-admins=admin',
    FIREBREAK_OIDC_DEFAULT_ROLE: 'none',
    FIREBREAK_LOCAL_PASSWORDS: 'off',
    FIREBREAK_BREAK_GLASS_EMAIL: BREAK_GLASS,
    ...extra,
  });
}

async function appFor(issuer: string, extra: Record<string, string> = {}, logs?: string[]): Promise<TestApp> {
  const config = ssoEnv(issuer, extra);
  const t = await createTestApp({
    config: { singleSignOn: config.singleSignOn, localPasswords: config.localPasswords, publicUrl: BASE },
    ...(logs ? { logs, logLevel: 'info' as const } : {}),
  });
  // The provider stamps tokens with the real time; Firebreak judges them by its clock.
  t.clock.set(new Date());
  return t;
}

/** The claim the last refused single sign-on was refused for, as the log tells the operator. */
const refusedClaim = (logs: string[]) =>
  logs
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg === 'single sign-on failed')
    .at(-1)?.claim;

const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name);

/** Start → the provider's login and consent → the URL the provider sends the browser back to. */
async function startAndSignInAtProvider(t: TestApp, accountId: string, returnTo = '/desk') {
  const start = await t.app.inject({
    method: 'GET',
    url: `/api/v1/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`,
    headers: HTML,
  });
  expect(start.statusCode).toBe(302);
  const state = cookieOf(start, 'firebreak_sso');
  expect(state).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/sso' });
  const back = await provider.signInAs(start.headers.location as string, accountId);
  return { back, stateCookie: `firebreak_sso=${state?.value}` };
}

function callback(t: TestApp, back: URL, stateCookie: string, headers: Record<string, string> = HTML) {
  return t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { ...headers, cookie: stateCookie } });
}

async function signInThroughProvider(t: TestApp, accountId: string, returnTo = '/desk') {
  const { back, stateCookie } = await startAndSignInAtProvider(t, accountId, returnTo);
  return callback(t, back, stateCookie);
}

const meWith = (t: TestApp, res: LightMyRequestResponse) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `firebreak_session=${cookieOf(res, 'firebreak_session')?.value}` } });

function expectRefusedWithoutSession(res: LightMyRequestResponse, reason: keyof typeof SINGLE_SIGN_ON_FAILURES) {
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe(`/sign-in?sso_error=${reason}`);
  expect(cookieOf(res, 'firebreak_session')).toBeUndefined();
}

beforeAll(async () => {
  provider = await startTestProvider({
    redirectUri: `${BASE}/api/v1/auth/sso/callback`,
    postLogoutRedirectUri: `${BASE}/sign-in`,
  });
  provider.people.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['service-desk'] });
  provider.people.set('grace', { email: 'grace@example.com', name: 'Grace Hopper', groups: ['leads'] });
  provider.people.set('eve', { email: 'eve@elsewhere.test', name: 'Eve', groups: ['firebreak-admins'] });
  provider.people.set('nobody', { email: 'nobody@example.com', name: 'No Groups', groups: ['marketing'] });
});

afterAll(() => provider?.close());

describe('single sign-on with auto-provisioning and passwords off', () => {
  let t: TestApp;
  let breakGlass: Awaited<ReturnType<TestApp['user']>>;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await appFor(provider.issuer, { FIREBREAK_OIDC_AUTO_PROVISION: 'on' }, logs);
    breakGlass = await t.user('admin', { email: BREAK_GLASS, password: PASSWORD });
  });
  afterAll(() => t.close());

  it('tells the sign-in page to offer "Sign in with Example SSO" and that passwords are off', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/options' });
    expect(json(res)).toEqual({ singleSignOn: { name: 'Example SSO', startUrl: '/api/v1/auth/sso/start' }, localPasswords: false });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start' });
    const url = new URL(res.headers.location as string);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${BASE}/api/v1/auth/sso/callback`);
  });

  it('creates a person at their first sign-in with the role their groups give, and signs them in', async () => {
    const res = await signInThroughProvider(t, 'ada', '/desk?view=mine');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk?view=mine');
    expect(cookieOf(res, 'firebreak_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookieOf(res, 'firebreak_sso')?.value).toBe(''); // the state cookie is spent
    const me = json(await meWith(t, res));
    expect(me).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', role: 'agent' });
    const [identity] = await t.deps.db.select().from(signInIdentities).where(eq(signInIdentities.subject, 'ada'));
    expect(identity).toMatchObject({ issuer: provider.issuer, userId: me.id });
  });

  it('gives a person whose role claim changed the new role at their next sign-in, and logs the change', async () => {
    await signInThroughProvider(t, 'grace');
    const [before] = await t.deps.db.select().from(users).where(eq(users.email, 'grace@example.com'));
    expect(before.role).toBe('manager');
    provider.people.set('grace', { email: 'grace@example.com', name: 'Grace Hopper', groups: ['leads', 'firebreak-admins'] });
    const again = await signInThroughProvider(t, 'grace');
    expect(json(await meWith(t, again))).toMatchObject({ id: before.id, role: 'admin' });
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith('single sign-on changed a role'));
    expect(line).toMatchObject({ userId: before.id, from: 'manager', to: 'admin' });
  });

  it('refuses an ID token made out to another application (wrong audience): no session, a clear page', async () => {
    provider.tamper.idToken = { aud: 'some-other-app' };
    try {
      const { back, stateCookie } = await startAndSignInAtProvider(t, 'ada');
      const res = await callback(t, back, stateCookie);
      expectRefusedWithoutSession(res, 'invalid_token');
      expect(refusedClaim(logs)).toBe('aud');
    } finally {
      delete provider.tamper.idToken;
    }
    // Asked for JSON, the same failure is a problem naming what went wrong.
    provider.tamper.idToken = { aud: 'some-other-app' };
    try {
      const { back, stateCookie } = await startAndSignInAtProvider(t, 'ada');
      const res = await callback(t, back, stateCookie, { accept: 'application/json' });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res)).toMatchObject({ singleSignOnFailure: 'invalid_token', detail: SINGLE_SIGN_ON_FAILURES.invalid_token });
    } finally {
      delete provider.tamper.idToken;
    }
  });

  it('refuses an ID token that expired before it reached Firebreak', async () => {
    const { back, stateCookie } = await startAndSignInAtProvider(t, 'ada');
    // Firebreak's clock moves past the token's lifetime (the sign-in itself is still within its ten minutes).
    t.clock.advance((ID_TOKEN_SECONDS + 60) * 1000);
    try {
      expectRefusedWithoutSession(await callback(t, back, stateCookie), 'invalid_token');
      expect(refusedClaim(logs)).toBe('exp');
    } finally {
      t.clock.set(new Date());
    }
  });

  it('refuses a callback whose state was tampered with, and one without the sign-in cookie', async () => {
    const { back, stateCookie } = await startAndSignInAtProvider(t, 'ada');
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')?.slice(0, -2)}xx`);
    expectRefusedWithoutSession(await callback(t, tampered, stateCookie), 'state_mismatch');
    expectRefusedWithoutSession(await callback(t, back, 'firebreak_sso=forged.cookie'), 'expired');
  });

  it('refuses people from another e-mail domain and people in no mapped group, creating nobody', async () => {
    expectRefusedWithoutSession(await signInThroughProvider(t, 'eve'), 'domain_not_allowed');
    expectRefusedWithoutSession(await signInThroughProvider(t, 'nobody'), 'no_role');
    const created = await t.deps.db.select().from(users).where(eq(users.email, 'eve@elsewhere.test'));
    expect(created).toEqual([]);
  });

  it('lets only the break-glass admin sign in with a password, answering everyone else as a wrong password', async () => {
    const agent = await t.user('agent', { email: 'desk@example.com', password: PASSWORD });
    const signIn = (email: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: PASSWORD }, remoteAddress: '10.9.0.1' });
    expect((await signIn(BREAK_GLASS)).statusCode).toBe(200);
    const refused = await signIn(agent.user.email);
    expect(refused.statusCode).toBe(401);
    expect(json(refused).detail).toContain('everyone else signs in with Example SSO');
  });

  it('tells someone made through single sign-on they have no password, and refuses them setting one (409 naming the field)', async () => {
    const signedIn = await signInThroughProvider(t, 'ada');
    const session = { cookie: `firebreak_session=${cookieOf(signedIn, 'firebreak_session')?.value}` };
    expect(json(await meWith(t, signedIn))).toMatchObject({
      hasPassword: false,
      localPasswords: { enabled: false, breakGlassEmail: null },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: session,
      payload: { currentPassword: 'anything at all', newPassword: 'a brand new long password' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res).errors).toEqual([{ field: 'newPassword', message: expect.stringContaining('passwords are turned off here') }]);
  });

  it('lets an admin give a password to the break-glass admin alone: every other add, change or reset is refused, changing nothing', async () => {
    const admin = breakGlass.headers;
    const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: admin }));
    expect(me).toMatchObject({ hasPassword: true, localPasswords: { enabled: false, breakGlassEmail: BREAK_GLASS } });

    const add = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'new-agent@example.com', name: 'New Agent', role: 'agent', password: 'a long first password' },
    });
    expect(add.statusCode).toBe(409);
    expect(json(add).errors).toEqual([{ field: 'password', message: expect.stringContaining('passwords are turned off here') }]);
    expect(await t.deps.db.select().from(users).where(eq(users.email, 'new-agent@example.com'))).toEqual([]);
    // Without a password the same person is added: they sign in with single sign-on.
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'new-agent@example.com', name: 'New Agent', role: 'agent' },
    });
    expect(added.statusCode).toBe(201);

    const agent = await t.user('agent', { email: 'agent-with-old-password@example.com', password: PASSWORD });
    const change = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${agent.user.id}`,
      headers: admin,
      payload: { name: 'Renamed', password: 'another long password' },
    });
    expect(change.statusCode).toBe(409);
    expect(json(change).errors).toEqual([{ field: 'password', message: expect.stringContaining('passwords are turned off here') }]);
    const [unchanged] = await t.deps.db.select().from(users).where(eq(users.id, agent.user.id));
    expect(unchanged).toMatchObject({ name: agent.user.name, passwordHash: agent.user.passwordHash });

    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${agent.user.id}/password-reset`, headers: admin, payload: {} });
    expect(reset.statusCode).toBe(409);
    expect(json(reset).detail).toContain('passwords are turned off here');

    // The break-glass admin can still be given one (by another admin), e.g. after a leak.
    const second = await t.user('admin');
    const renewed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${breakGlass.user.id}`,
      headers: second.headers,
      payload: { password: PASSWORD },
    });
    expect(renewed.statusCode).toBe(200);
  });

  it('signs out: the session ends here and the browser is sent to the provider to end its session too', async () => {
    const signedIn = await signInThroughProvider(t, 'ada');
    const session = `firebreak_session=${cookieOf(signedIn, 'firebreak_session')?.value}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: session } });
    expect(res.statusCode).toBe(200);
    const to = new URL(json(res).providerSignOutUrl);
    expect(`${to.origin}${to.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/sign-in`);
    expect(to.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: session } })).statusCode).toBe(401);
  });
});

describe('single sign-on without auto-provisioning', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appFor(provider.issuer, { FIREBREAK_OIDC_AUTO_PROVISION: 'off' });
  });
  afterAll(() => t.close());

  it('refuses someone without an account, and signs in someone the admin created (linking them by subject)', async () => {
    expectRefusedWithoutSession(await signInThroughProvider(t, 'ada'), 'no_account');
    expect(await t.deps.db.select().from(users).where(eq(users.email, 'ada@example.com'))).toEqual([]);
    provider.people.set('linus', { email: 'linus@example.com', name: 'Linus', groups: ['leads'] });
    const known = await t.user('requester', { email: 'Linus@Example.com' });
    const res = await signInThroughProvider(t, 'linus');
    expect(res.statusCode).toBe(303);
    expect(json(await meWith(t, res))).toMatchObject({ id: known.user.id, role: 'manager' });
  });

  it('links an account by its e-mail only when the provider says the address is verified (left out is not a yes)', async () => {
    const admin = await t.user('admin', { email: 'grace@example.com' });
    provider.people.set('grace-elsewhere', { email: 'grace@example.com', name: 'Not Grace', groups: ['leads'], emailVerified: null });
    expectRefusedWithoutSession(await signInThroughProvider(t, 'grace-elsewhere'), 'email_unverified');
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, admin.user.id));
    expect(row.role).toBe('admin');
  });

  it('refuses a second subject at the provider claiming an account already linked to another, changing nothing', async () => {
    provider.people.set('hedy', { email: 'hedy@example.com', name: 'Hedy Lamarr', groups: ['service-desk'] });
    const hedy = await t.user('agent', { email: 'hedy@example.com' });
    expect((await signInThroughProvider(t, 'hedy')).statusCode).toBe(303);
    // Another account at the same provider now shows Hedy's (verified) address, e.g. after the
    // provider reassigned it: it must not take over the Firebreak account linked to 'hedy'.
    provider.people.set('hedy-impostor', { email: 'hedy@example.com', name: 'Impostor', groups: ['firebreak-admins'] });
    expectRefusedWithoutSession(await signInThroughProvider(t, 'hedy-impostor'), 'linked_to_another_identity');
    const identities = await t.deps.db.select().from(signInIdentities).where(eq(signInIdentities.userId, hedy.user.id));
    expect(identities.map((i) => i.subject)).toEqual(['hedy']);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, hedy.user.id));
    expect(row.role).toBe('agent');
  });

  it('never demotes the break-glass admin by a role claim: the emergency password keeps working', async () => {
    const admin = await t.user('admin', { email: BREAK_GLASS, password: PASSWORD });
    provider.people.set('break-glass', { email: BREAK_GLASS, name: 'Emergency Admin', groups: ['service-desk'] });
    const res = await signInThroughProvider(t, 'break-glass');
    expect(json(await meWith(t, res))).toMatchObject({ id: admin.user.id, role: 'admin' });
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: BREAK_GLASS, password: PASSWORD } });
    expect(signIn.statusCode).toBe(200);
  });
});

describe('a provider that is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    t = await appFor(`http://127.0.0.1:${port}`);
    await t.user('admin', { email: BREAK_GLASS, password: PASSWORD });
  });
  afterAll(() => t.close());

  it('answers the browser with the sign-in page and a clear message, and an API caller with 503', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start', headers: HTML });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?sso_error=provider_unreachable');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start' });
    expect(api.statusCode).toBe(503);
    expect(json(api).detail).toBe(SINGLE_SIGN_ON_FAILURES.provider_unreachable);
  });

  it('still lets the break-glass admin sign in with a password', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: BREAK_GLASS, password: PASSWORD },
      remoteAddress: '10.9.0.2',
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).role).toBe('admin');
  });
});

describe('the discovery document, cached per process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appFor(provider.issuer, { FIREBREAK_OIDC_AUTO_PROVISION: 'on' });
  });
  afterAll(() => t.close());

  const start = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start' });

  it('serves a flood of starts with one request to the provider, and asks again once its minute is over', async () => {
    const before = provider.discoveries;
    const flood = await Promise.all(Array.from({ length: 25 }, start));
    expect(flood.map((r) => r.statusCode)).toEqual(Array(25).fill(302));
    expect(new URL(flood[0].headers.location as string).origin).toBe(provider.issuer);
    expect(provider.discoveries).toBe(before + 1);
    // A whole sign-in uses the cached document too.
    expect((await signInThroughProvider(t, 'ada')).headers.location).toBe('/desk');
    expect(provider.discoveries).toBe(before + 1);
    t.clock.advance((DISCOVERY_CACHE_SECONDS + 1) * 1000);
    expect((await start()).statusCode).toBe(302);
    expect(provider.discoveries).toBe(before + 2);
  });

  it('discovers afresh after a token fails its checks, and signs in again with what it found', async () => {
    await start();
    const before = provider.discoveries;
    provider.tamper.idToken = { iss: 'https://moved.example.com' };
    try {
      const { back, stateCookie } = await startAndSignInAtProvider(t, 'ada');
      expectRefusedWithoutSession(await callback(t, back, stateCookie), 'invalid_token');
    } finally {
      delete provider.tamper.idToken;
    }
    expect(provider.discoveries).toBe(before);
    expect((await signInThroughProvider(t, 'ada')).headers.location).toBe('/desk');
    expect(provider.discoveries).toBe(before + 1);
  });

  it('shows a provider that went down as down once the cached document is over a minute old', async () => {
    const other = await startTestProvider({
      redirectUri: `${BASE}/api/v1/auth/sso/callback`,
      postLogoutRedirectUri: `${BASE}/sign-in`,
    });
    const app = await appFor(other.issuer);
    try {
      expect((await app.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start', headers: HTML })).statusCode).toBe(302);
      await other.close();
      app.clock.advance((DISCOVERY_CACHE_SECONDS + 1) * 1000);
      const page = await app.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start', headers: HTML });
      expect(page.headers.location).toBe('/sign-in?sso_error=provider_unreachable');
    } finally {
      await app.close();
    }
  });
});

describe('where a sign-in may come back to', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appFor(provider.issuer);
  });
  afterAll(() => t.close());

  it('refuses another site or a header-breaking path as returnTo, naming the field, and starts nothing', async () => {
    for (const returnTo of ['//evil.test/x', '/\\evil.test', 'https://evil.test/', '/desk\r\nSet-Cookie: x=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}` });
      expect(res.statusCode).toBe(400);
      expect(json(res).errors).toEqual([{ field: 'returnTo', message: 'must be a path inside Firebreak, e.g. /desk' }]);
      expect(cookieOf(res, 'firebreak_sso')).toBeUndefined();
    }
  });

  it('answers 404 on the single sign-on routes of a server without it, and says so in the sign-in options', async () => {
    const plain = await createTestApp();
    try {
      const start = await plain.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start' });
      expect(start.statusCode).toBe(404);
      expect(json(await plain.app.inject({ method: 'GET', url: '/api/v1/auth/options' }))).toEqual({
        singleSignOn: null,
        localPasswords: true,
      });
    } finally {
      await plain.close();
    }
  });
});
