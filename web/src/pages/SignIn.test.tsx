// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { SINGLE_SIGN_ON_FAILURES } from '../../../core/single-sign-on';
import { newQueryClient, stubApi, withQueries } from '../testing/api-stub';
import { SignIn } from './SignIn';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

function showSignIn(at: string, options: { singleSignOn: { name: string; startUrl: string } | null; localPasswords: boolean }) {
  stubApi({ 'GET /auth/options': { status: 200, body: options } });
  const router = createMemoryRouter([{ path: '/sign-in', element: <SignIn /> }], { initialEntries: [at] });
  render(<RouterProvider router={router} />, { wrapper: withQueries(newQueryClient()) });
}

const SSO = { name: 'Example SSO', startUrl: '/api/v1/auth/sso/start' };

describe('the sign-in page', () => {
  it('offers "Sign in with <provider>" that comes back to where the person was going, and hides the password form when passwords are off', async () => {
    showSignIn('/sign-in?next=%2Fdesk%2Fqueue%2Fmine', { singleSignOn: SSO, localPasswords: false });
    const button = await screen.findByRole('link', { name: 'Sign in with Example SSO' });
    expect(button.getAttribute('href')).toBe('/api/v1/auth/sso/start?returnTo=%2Fdesk%2Fqueue%2Fmine');
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in with a password' }).getAttribute('href')).toBe('/sign-in?break-glass');
  });

  it('shows the password form behind the break-glass link, and both ways in when passwords are on', async () => {
    showSignIn('/sign-in?break-glass', { singleSignOn: SSO, localPasswords: false });
    await screen.findByLabelText('Password');
    await screen.findByText('Password sign-in is kept for the break-glass admin, for when single sign-on is down.');
    cleanup();
    showSignIn('/sign-in', { singleSignOn: SSO, localPasswords: true });
    await screen.findByLabelText('Password');
    expect(screen.getByRole('link', { name: 'Sign in with Example SSO' })).toBeTruthy();
  });

  it('says in words why single sign-on failed, and points to the break-glass admin while the provider is down', async () => {
    showSignIn('/sign-in?sso_error=provider_unreachable', { singleSignOn: SSO, localPasswords: false });
    const alert = await screen.findByRole('alert');
    await screen.findByRole('link', { name: 'Sign in with Example SSO' });
    expect(alert.textContent).toContain(SINGLE_SIGN_ON_FAILURES.provider_unreachable);
    expect(alert.textContent).toContain('the break-glass admin can still sign in with a password');
    cleanup();
    showSignIn('/sign-in?sso_error=<script>', { singleSignOn: SSO, localPasswords: true });
    expect((await screen.findByRole('alert')).textContent).toContain('The sign-in did not finish. Please start again.');
  });

  it('shows only the password form on a server without single sign-on', async () => {
    showSignIn('/sign-in', { singleSignOn: null, localPasswords: true });
    await screen.findByLabelText('Password');
    expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();
  });
});
