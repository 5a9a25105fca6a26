// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { UsersAdmin } from '../admin/UsersAdmin';
import { newQueryClient, stubApi, withQueries } from '../testing/api-stub';
import Settings from './Settings';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const BREAK_GLASS = 'break-glass@example.com';
const person = (id: string, email: string, role: string, name: string) => ({
  id: `0b9c7e1e-0000-4000-8000-00000000000${id}`,
  email,
  name,
  role,
  active: true,
  timeZone: 'UTC',
  organisation: null,
  createdAt: '2026-12-01T09:00:00.000Z',
});
const me = (overrides: Record<string, unknown>) => ({
  ...person('1', BREAK_GLASS, 'admin', 'Emergency Admin'),
  emailNotifications: true,
  notificationPreferences: {},
  mustChangePassword: false,
  hasPassword: true,
  localPasswords: { enabled: false, breakGlassEmail: BREAK_GLASS },
  ...overrides,
});

describe('passwords when single sign-on replaced them', () => {
  it('Admin › People offers a password reset for the break-glass admin alone, and no first password when adding someone', async () => {
    const otherAdmin = person('2', 'other-admin@example.com', 'admin', 'Other Admin');
    stubApi({
      'GET /me': { status: 200, body: me({ id: otherAdmin.id, email: otherAdmin.email, name: otherAdmin.name }) },
      'GET /users': {
        status: 200,
        body: {
          items: [person('1', BREAK_GLASS, 'admin', 'Emergency Admin'), person('3', 'ada@example.com', 'agent', 'Ada')],
          nextCursor: null,
        },
      },
    });
    render(<UsersAdmin />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByRole('button', { name: 'Reset password of Emergency Admin' });
    expect(screen.queryByRole('button', { name: 'Reset password of Ada' })).toBeNull();
    expect(screen.getByText('Single sign-on only')).toBeTruthy();
    expect(screen.queryByLabelText('First password')).toBeNull();
    expect(screen.getByText(/only the emergency admin \(break-glass@example\.com\) can be given one/)).toBeTruthy();
  });

  it('Settings says why there is no password to change for someone made through single sign-on', async () => {
    stubApi({
      'GET /me': {
        status: 200,
        body: me({ role: 'agent', email: 'ada@example.com', hasPassword: false, localPasswords: { enabled: true, breakGlassEmail: null } }),
      },
    });
    const client = newQueryClient();
    client.setQueryData(
      ['me'],
      me({ role: 'agent', email: 'ada@example.com', hasPassword: false, localPasswords: { enabled: true, breakGlassEmail: null } }),
    );
    render(<Settings />, { wrapper: withQueries(client) });
    await screen.findByText(/You have no password here: you sign in with single sign-on/);
    expect(screen.queryByRole('heading', { name: 'Change your password' })).toBeNull();
  });

  it('Settings offers "Change your password" to someone who has one', async () => {
    stubApi({ 'GET /me': { status: 200, body: me({ localPasswords: { enabled: true, breakGlassEmail: null } }) } });
    const client = newQueryClient();
    client.setQueryData(['me'], me({ localPasswords: { enabled: true, breakGlassEmail: null } }));
    render(<Settings />, { wrapper: withQueries(client) });
    await screen.findByRole('heading', { name: 'Change your password' });
  });
});
