// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeT, TicketT } from '../../api/types';
import { newQueryClient, problem, stubApi, withQueries } from '../../testing/api-stub';
import { RolesPanel } from './RolesPanel';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const me = { id: 'u-ana', name: 'Ana Ortiz', role: 'agent' } as MeT;
const ticket = {
  id: '0b9c7e1e-0000-4000-8000-000000000009',
  state: 'in_progress',
  majorSince: '2026-03-02T09:00:00Z',
} as unknown as TicketT;
const staff = [
  { id: 'u-ana', name: 'Ana Ortiz' },
  { id: 'u-ben', name: 'Ben Brandt' },
];
const role = (id: string, name: string, singleHolder = true) => ({
  id,
  key: null,
  name,
  description: `${name} does things`,
  checklist: [`${name}: first step`],
  singleHolder,
  pages: false,
  position: 1,
  active: true,
  version: 1,
});
const roster = { status: 200, body: { items: [role('r-im', 'Incident manager'), role('r-sme', 'Subject-matter expert', false)] } };
const holding = (userId: string, name: string) => ({
  id: `h-${userId}`,
  role: {
    id: 'r-im',
    name: 'Incident manager',
    description: 'Leads the response',
    checklist: ['Set the next update time'],
    singleHolder: true,
  },
  holder: { id: userId, name },
  since: '2026-03-02T09:05:00Z',
});

describe('the response roles panel', () => {
  it('shows the holder their role and checklist, and offers a hand-over (not a second holder) of a held single-holder role', async () => {
    const api = stubApi({
      'GET /incident-roles': roster,
      [`GET /tickets/${ticket.id}/roles`]: { status: 200, body: { items: [holding('u-ana', 'Ana Ortiz')] } },
      [`POST /tickets/${ticket.id}/roles`]: { status: 200, body: { items: [holding('u-ben', 'Ben Brandt')] } },
    });
    render(<RolesPanel ticket={ticket} me={me} staff={staff} />, { wrapper: withQueries(newQueryClient()) });
    await screen.findByText('Your role: Incident manager.');
    expect(screen.getByText('Set the next update time')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hand over Incident manager' }));
    fireEvent.change(screen.getByLabelText('Hand Incident manager over to'), { target: { value: 'u-ben' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over' }));
    await waitFor(() => expect(api.count('POST', `/tickets/${ticket.id}/roles`)).toBe(1));
    expect(api.sent.find((r) => r.method === 'POST')?.body).toEqual({ roleId: 'r-im', userId: 'u-ben', fromUserId: 'u-ana' });
  });

  it('says who holds the role when someone else took it first', async () => {
    stubApi({
      'GET /incident-roles': roster,
      [`GET /tickets/${ticket.id}/roles`]: { status: 200, body: { items: [] } },
      [`POST /tickets/${ticket.id}/roles`]: problem(
        409,
        [],
        'Ben Brandt already holds Incident manager on INC0000009: only one person holds it at a time; ask them to hand it over',
      ),
    });
    render(<RolesPanel ticket={ticket} me={me} staff={staff} />, { wrapper: withQueries(newQueryClient()) });
    fireEvent.click(await screen.findByRole('button', { name: 'Assign Incident manager' }));
    fireEvent.change(screen.getByLabelText('Give Incident manager to'), { target: { value: 'u-ana' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign' }));
    await screen.findByText(/Ben Brandt already holds Incident manager/);
  });
});
