import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../../../core/logout-token.js';
import { type ProviderBrowser, startTestProvider, type TestProvider } from '../../../test/openid-provider.js';
import { createTestApp, json, type TestApp } from '../../../test/test-app.js';
import { readConfig } from '../../config.js';
import { BACKCHANNEL_LOGOUT_PATH } from './single-sign-on.routes.js';

/**
 * OpenID Connect Back-Channel Logout against a real provider (oidc-provider) on loopback: the person
 * signs in through it, then signs out at the provider, which posts a signed logout token over real
 * HTTP to Firebreak's back-channel address (a loopback listener handing requests to the app's own
 * router), and the Firebreak session it names ends.
 */
const BASE = 'http://localhost:3000';
const HTML = { accept: 'text/html,application/xhtml+xml' };
const PASSWORD = 'correct horse battery staple';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let provider: TestProvider;
let listener: Server;
let t: TestApp;
const logs: string[] = [];

const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name)?.value;
const me = (session: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `firebreak_session=${session}` } });

/** Signs in through the provider in `browser` (that browser's session there) and returns the Firebreak session. */
async function signIn(accountId: string, browser: ProviderBrowser): Promise<string> {
  const start = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sso/start?returnTo=/desk', headers: HTML });
  const back = await provider.signInAs(start.headers.location as string, accountId, browser);
  const done = await t.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: { ...HTML, cookie: `firebreak_sso=${cookieOf(start, 'firebreak_sso')}` },
  });
  expect(done.statusCode).toBe(303);
  const session = cookieOf(done, 'firebreak_session');
  expect(session).toBeTruthy();
  return session as string;
}

const postToken = (logoutToken: string) =>
  t.app.inject({
    method: 'POST',
    url: BACKCHANNEL_LOGOUT_PATH,
    headers: FORM,
    payload: new URLSearchParams({ logout_token: logoutToken }).toString(),
  });

/** A logout token as the provider would sign it, with `claims` changed. */
function logoutToken(claims: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  return provider.sign({
    iss: provider.issuer,
    aud: provider.clientId,
    iat: now,
    exp: now + 120,
    jti: `jti-${Math.random()}`,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  });
}

beforeAll(async () => {
  // The listener exists first, so the provider can be told where to post; it serves the app once built.
  let handle: ((req: Parameters<TestApp['app']['routing']>[0], res: Parameters<TestApp['app']['routing']>[1]) => void) | null = null;
  listener = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  provider = await startTestProvider({
    redirectUri: `${BASE}/api/v1/auth/sso/callback`,
    postLogoutRedirectUri: `${BASE}/sign-in`,
    backchannelLogoutUri: `http://127.0.0.1:${port}${BACKCHANNEL_LOGOUT_PATH}`,
  });
  provider.people.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['service-desk'] });
  provider.people.set('grace', { email: 'grace@example.com', name: 'Grace Hopper', groups: ['service-desk'] });
  const config = readConfig({
    FIREBREAK_PUBLIC_URL: BASE,
    FIREBREAK_OIDC_ISSUER: provider.issuer,
    FIREBREAK_OIDC_CLIENT_ID: provider.clientId,
    FIREBREAK_OIDC_CLIENT_SECRET: provider.clientSecret,
    FIREBREAK_OIDC_SCOPES: 'openid email profile groups',
    FIREBREAK_OIDC_ROLE_CLAIM: 'groups',
    FIREBREAK_OIDC_ROLE_MAP: 'service-desk=agent',
    FIREBREAK_OIDC_AUTO_PROVISION: 'on',
  });
  t = await createTestApp({
    config: { singleSignOn: config.singleSignOn, localPasswords: config.localPasswords, publicUrl: BASE },
    logs,
    logLevel: 'info',
  });
  // The provider stamps tokens with the real time; Firebreak judges them by its clock.
  t.clock.set(new Date());
  await t.app.ready();
  handle = (req, res) => t.app.routing(req, res);
});

afterAll(async () => {
  await t?.close();
  await provider?.close();
  listener?.closeAllConnections();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});

describe('back-channel logout from the identity provider', () => {
  it('signing out at the provider ends that Firebreak session, and only that one', async () => {
    const laptop: ProviderBrowser = new Map();
    const phone: ProviderBrowser = new Map();
    const onLaptop = await signIn('ada', laptop);
    const onPhone = await signIn('ada', phone);
    const grace = await signIn('grace', new Map());
    expect((await me(onLaptop)).statusCode).toBe(200);

    await provider.signOutAt(laptop);

    expect((await me(onLaptop)).statusCode).toBe(401);
    // Her other provider session (another browser) and another person's are untouched.
    expect((await me(onPhone)).statusCode).toBe(200);
    expect((await me(grace)).statusCode).toBe(200);
  });

  it('a token naming only the person ends every single sign-on session of theirs, not their password one', async () => {
    provider.people.set('linus', { email: 'linus@example.com', name: 'Linus', groups: ['service-desk'] });
    await t.user('agent', { email: 'linus@example.com', password: PASSWORD });
    const withPassword = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'linus@example.com', password: PASSWORD },
    });
    expect(withPassword.statusCode).toBe(200);
    const passwordSession = cookieOf(withPassword, 'firebreak_session') as string;
    const first = await signIn('linus', new Map());
    const second = await signIn('linus', new Map());

    const res = await postToken(await logoutToken({ sub: 'linus' }));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
    expect((await me(passwordSession)).statusCode).toBe(200);
  });

  it('answers 200 for a person nobody here knows, ending nothing', async () => {
    const ada = await signIn('ada', new Map());
    const res = await postToken(await logoutToken({ sub: 'someone-else' }));
    expect(res.statusCode).toBe(200);
    expect((await me(ada)).statusCode).toBe(200);
  });

  it.each([
    ['an ID token (it carries a nonce)', { sub: 'ada', nonce: 'n-1' }, 'nonce'],
    ['a token without the logout event', { sub: 'ada', events: {} }, 'logout event'],
    ['a token for another client', { sub: 'ada', aud: 'someone-else' }, 'audience'],
    ['a token from another issuer', { sub: 'ada', iss: 'https://evil.example' }, 'issuer'],
    [
      'an old token replayed',
      { sub: 'ada', iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) + 60 },
      'too long ago',
    ],
  ])('refuses %s with 400 naming the logout token, ending nothing', async (_what, claims, words) => {
    const ada = await signIn('ada', new Map());
    const res = await postToken(await logoutToken(claims));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = json(res) as { detail: string; errors: { field: string; message: string }[] };
    expect(problem.errors[0].field).toBe('logout_token');
    expect(problem.detail).toContain(words);
    expect((await me(ada)).statusCode).toBe(200);
  });

  it('refuses a token not signed by the provider (signed with another key)', async () => {
    const ada = await signIn('ada', new Map());
    const { generateKeyPair, SignJWT } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      iss: provider.issuer,
      aud: provider.clientId,
      iat: now,
      jti: 'f',
      sub: 'ada',
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .sign(privateKey);
    expect((await postToken(forged)).statusCode).toBe(400);
    // The operator learns why a provider's logout did not end anything.
    const refused = logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'back-channel logout refused');
    expect(refused.at(-1)?.reason).toContain('signature, issuer, audience or expiry');
    expect((await postToken('not-a-token')).statusCode).toBe(400);
    expect((await me(ada)).statusCode).toBe(200);
  });

  it('refuses a request without a token, naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: BACKCHANNEL_LOGOUT_PATH, headers: FORM, payload: 'something=else' });
    expect(res.statusCode).toBe(400);
    expect((json(res) as { errors: { field: string }[] }).errors[0].field).toBe('logout_token');
  });
});

describe('back-channel logout without single sign-on configured', () => {
  it('is not found', async () => {
    const plain = await createTestApp();
    try {
      const res = await plain.app.inject({ method: 'POST', url: BACKCHANNEL_LOGOUT_PATH, headers: FORM, payload: 'logout_token=x' });
      expect(res.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
