import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (panva's oidc-provider, the certified reference implementation) on
 * loopback, for single sign-on tests: discovery, authorization with PKCE, its own login and
 * consent pages (devInteractions), token, userinfo, JWKS and end-session endpoints.
 * `people` are its accounts (the test changes their groups between sign-ins). `tamper` makes the
 * token endpoint hand out an ID token re-signed with the provider's own key but with a claim
 * changed (a wrong audience), as a compromised or misconfigured provider would.
 * With `backchannelLogoutUri`, signing out at the provider (`signOutAt`) makes it post a signed
 * logout token to that address (OpenID Connect Back-Channel Logout), naming the provider session.
 */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `emailVerified: null`: the provider leaves the claim out (some do). */
  people: Map<string, { email: string; name: string; groups: string[]; emailVerified?: boolean | null }>;
  tamper: { idToken?: Record<string, unknown> };
  /** How many times a client fetched the discovery document (/.well-known/openid-configuration). */
  readonly discoveries: number;
  /**
   * Plays the person's browser at the provider: from the authorization URL to the callback URL it is
   * sent back to. `browser` holds that browser's cookies at the provider (a fresh one by default):
   * pass the same one to `signOutAt` later.
   */
  signInAs(authorizationUrl: string, accountId: string, browser?: ProviderBrowser): Promise<URL>;
  /** The person signs out at the provider in that browser ("Yes, sign me out"); back-channel logouts are sent before it answers. */
  signOutAt(browser: ProviderBrowser): Promise<void>;
  /** Signs a token with the provider's own key (for tests of tokens the provider would never send). */
  sign(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const ID_TOKEN_SECONDS = 60;

/** A browser's cookies at the provider. */
export type ProviderBrowser = Map<string, string>;

export async function startTestProvider(options: {
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** A fixed port (a server started by hand); any free one when absent. */
  port?: number;
  /** Where the provider posts logout tokens; sessions then carry `sid` in their ID tokens. */
  backchannelLogoutUri?: string;
}): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const people: TestProvider['people'] = new Map();
  const tamper: TestProvider['tamper'] = {};
  const clientId = 'firebreak';
  const clientSecret = 'a-long-client-secret-for-tests-only';

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...(options.backchannelLogoutUri
          ? { backchannel_logout_uri: options.backchannelLogoutUri, backchannel_logout_session_required: true }
          : {}),
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: person.email,
          ...(person.emailVerified === null ? {} : { email_verified: person.emailVerified ?? true }),
          name: person.name,
          groups: person.groups,
        }),
      };
    },
    ttl: { IdToken: ID_TOKEN_SECONDS },
    // The provider refuses to post to loopback addresses (its SSRF guard); here Firebreak is on loopback by design.
    fetch: (input, init) => {
      const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return fetch(input, rest);
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: options.backchannelLogoutUri !== undefined },
    },
  });
  // The provider's own dev-mode warnings say nothing a test needs.
  provider.on('server_error', (_ctx, error) => console.error('test provider error', error));
  provider.on('backchannel.error', (_ctx, error) =>
    console.error('test provider: back-channel logout failed', error, (error as Error).cause),
  );
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && tamper.idToken && body?.id_token) {
      const claims = { ...decodeJwt(body.id_token), ...tamper.idToken };
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey);
    }
  });
  let discoveries = 0;
  server.on('request', (request) => {
    if (request.url?.startsWith('/.well-known/openid-configuration')) discoveries += 1;
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    people,
    tamper,
    get discoveries() {
      return discoveries;
    },
    async sign(claims) {
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey);
    },
    async signOutAt(browser) {
      const page = await fetch(new URL('/session/end', issuer), { headers: { cookie: cookieHeader(browser) }, redirect: 'manual' });
      keepCookies(browser, page);
      const html = await page.text();
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
      if (!xsrf) throw new Error(`the test provider's sign-out page had no form (${page.status}): ${html.slice(0, 300)}`);
      const confirm = await fetch(new URL('/session/end/confirm', issuer), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookieHeader(browser), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf, logout: 'yes' }),
      });
      keepCookies(browser, confirm);
      if (confirm.status !== 303 && confirm.status !== 302) throw new Error(`the test provider refused the sign-out: ${confirm.status}`);
    },
    async signInAs(authorizationUrl, accountId, browser = new Map()) {
      const cookies = browser;
      let url = new URL(authorizationUrl);
      let form: URLSearchParams | null = null;
      // A bounded walk: redirects, the login page, the consent page, and back to Firebreak.
      for (let step = 0; step < 12; step += 1) {
        if (url.href.startsWith(options.redirectUri)) return url;
        const response = await fetch(url, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: cookieHeader(cookies),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: form ?? undefined,
        });
        keepCookies(cookies, response);
        form = null;
        const location = response.headers.get('location');
        if (location) {
          url = new URL(location, url);
          continue;
        }
        const html = await response.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
        if (!action || !prompt) throw new Error(`the test provider answered ${response.status} without a form: ${html.slice(0, 300)}`);
        form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
        url = new URL(action.replaceAll('&amp;', '&'), url);
      }
      throw new Error('the sign-in at the test provider did not come back to Firebreak');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cookieHeader = (cookies: ProviderBrowser) => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

function keepCookies(cookies: ProviderBrowser, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
}
