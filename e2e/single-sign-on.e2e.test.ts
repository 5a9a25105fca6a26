import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../server/test/openid-provider.js';
import {
  ADMIN,
  accessibilityProblems,
  browserTestsOff,
  expectFitsPhone,
  type Firebreak,
  PHONE,
  screenshot,
  useFirebreak,
} from './harness.js';

/**
 * Single sign-on in a real browser against a real OpenID provider (oidc-provider) on loopback:
 * the sign-in page offers only "Sign in with Example SSO" (passwords are off), the person signs in
 * at the provider's own pages and lands in Firebreak with the role of their groups, and signing
 * out ends the provider's session too. The server's port is chosen first, since the provider must
 * know the redirect address before Firebreak starts.
 */
let provider: TestProvider;
let port = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider({ redirectUri: `${base}/api/v1/auth/sso/callback`, postLogoutRedirectUri: `${base}/sign-in` });
  provider.people.set('ada', { email: 'ada@e2e.test', name: 'Ada Lovelace', groups: ['service-desk'] });
});

afterAll(() => provider?.close());

describe.skipIf(browserTestsOff)('single sign-on, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak(
    () => ({
      PORT: String(port),
      FIREBREAK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FIREBREAK_OIDC_ISSUER: provider.issuer,
      FIREBREAK_OIDC_CLIENT_ID: provider.clientId,
      FIREBREAK_OIDC_CLIENT_SECRET: provider.clientSecret,
      FIREBREAK_OIDC_NAME: 'Example SSO',
      FIREBREAK_OIDC_SCOPES: 'openid email profile groups',
      FIREBREAK_OIDC_ROLE_CLAIM: 'groups',
      FIREBREAK_OIDC_ROLE_MAP: 'service-desk=agent,firebreak-admins=admin',
      FIREBREAK_OIDC_AUTO_PROVISION: 'on',
      FIREBREAK_LOCAL_PASSWORDS: 'off',
      FIREBREAK_BREAK_GLASS_EMAIL: ADMIN.email,
    }),
    async (started) => {
      ({ fb, browser } = started);
    },
  );

  it('offers only "Sign in with Example SSO", at desk and phone widths, with the password form behind a break-glass link', async () => {
    for (const [viewport, label] of [
      [PHONE, '390'],
      [{ width: 1440, height: 900 }, '1440'],
    ] as const) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${fb.url}/sign-in`);
      await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
      expect(await page.getByLabel('Password').count()).toBe(0);
      await expectFitsPhone(page);
      await screenshot(page, `sso-sign-in-${label}`);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('link', { name: 'Sign in with a password' }).click();
      await page.getByLabel('Password').waitFor();
      await screenshot(page, `sso-break-glass-${label}`);
      await context.close();
    }
  });

  it('signs a new person in at the provider, lands them on the desk as an agent, and signs them out at the provider too', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${fb.url}/sign-in`);
    await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
    // The provider's own pages: login, then consent.
    await page.locator('input[name=login]').fill('ada');
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname.startsWith('/desk')).toBe(true);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({ email: 'ada@e2e.test', name: 'Ada Lovelace', role: 'agent' });
    await screenshot(page, 'sso-signed-in-desk');

    // Made through single sign-on, with passwords off: no password to change, and the page says why.
    await page.goto(`${fb.url}/settings`);
    await page.getByText('Passwords are turned off here: you sign in with single sign-on').waitFor();
    expect(await page.getByRole('heading', { name: 'Change your password' }).count()).toBe(0);
    await screenshot(page, 'sso-settings-no-password');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    // oidc-provider asks whether to sign out of the provider as well.
    await page.getByRole('button', { name: /yes/i }).click();
    await page.waitForURL(`${fb.url}/sign-in`);
    await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
    expect((await page.evaluate(async () => (await fetch('/api/v1/me')).status)) as number).toBe(401);
    await context.close();
  });
});
